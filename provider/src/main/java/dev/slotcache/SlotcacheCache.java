package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.codec.ClassNotVisibleException;
import dev.slotcache.codec.Codec;
import dev.slotcache.codec.CodecException;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.event.EventDispatcher;
import dev.slotcache.expiry.ExpiryDecisions;
import dev.slotcache.integration.ReadThrough;
import dev.slotcache.integration.WriteThrough;
import dev.slotcache.internal.UserResources;
import dev.slotcache.management.CacheConfigurationBean;
import dev.slotcache.management.CacheStatistics;
import dev.slotcache.management.MBeans;
import dev.slotcache.store.CacheStore;
import dev.slotcache.store.CacheStore.Conditional;
import dev.slotcache.store.CacheStore.Outcome;
import dev.slotcache.store.Record;
import dev.slotcache.store.StoreException;
import dev.slotcache.store.Ttl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.event.EventType;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;

/**
 * A JCache {@link Cache} whose entries live in a Redis Cluster. This class carries the JCache semantics; it
 * knows nothing of Redis commands (see {@link CacheStore}) or of serialization (see {@link Codec}).
 *
 * <p>Round trips: one per single-key operation; conditional operations by value compare in one script;
 * {@code invoke} watches and reads the key, runs the processor here, and commits in a transaction that fails
 * when the key changed meanwhile, retrying then. With an expiry policy other than the five of {@code javax.cache.expiry}, operations
 * whose TTL depends on whether the entry exists first ask Redis, because the policy may only be called for the
 * case that applies.
 *
 * <p>Listeners, the writer and statistics see this JVM's operations: an operation fetches the old value only
 * when a listener needs it. The writer runs before the cache changes, so a failing writer leaves it unchanged.
 *
 * <p>Thread-safe.
 */
final class SlotcacheCache<K, V> implements Cache<K, V> {

  private final String name;
  private final SlotcacheCacheManager manager;
  private final SlotcacheConfiguration<K, V> configuration;
  private final CacheStore store;
  private final Codec codec;
  private final ExpiryPolicy expiryPolicy;
  private final ExpiryDecisions expiry;
  private final int maxValueBytes;
  private final int invokeRetries;
  private final java.time.Duration retryTime;
  private final Class<?> keyType;
  private final Class<?> valueType;
  private final EventDispatcher<K, V> events;
  private final CacheStatistics statistics = new CacheStatistics();
  private final CacheConfigurationBean configurationBean;
  private final UnreadableEntries unreadable;
  private final WriteThrough<K, V> writer;
  private final ReadThrough<K, V> loader;
  private final boolean readThrough;
  private volatile ExecutorService loads;
  private volatile boolean closed;

  SlotcacheCache(String name, SlotcacheCacheManager manager, SlotcacheConfiguration<K, V> configuration,
      CacheStore store, Codec codec, int maxValueBytes, int invokeRetries, java.time.Duration retryTime) {
    this.name = requireNonNull(name, "name");
    this.unreadable = new UnreadableEntries(name);
    this.manager = requireNonNull(manager, "manager");
    this.configuration = new SlotcacheConfiguration<>(requireNonNull(configuration, "configuration"));
    this.store = requireNonNull(store, "store");
    this.codec = requireNonNull(codec, "codec");
    this.maxValueBytes = maxValueBytes;
    this.invokeRetries = invokeRetries;
    this.retryTime = requireNonNull(retryTime, "retryTime");
    this.expiryPolicy = this.configuration.getExpiryPolicyFactory().create();
    this.expiry = new ExpiryDecisions(expiryPolicy, this.configuration.getTtlJitterPercent(),
        this.configuration.getMaxTtl());
    this.keyType = this.configuration.getKeyType() == Object.class ? null : this.configuration.getKeyType();
    this.valueType = this.configuration.getValueType() == Object.class ? null : this.configuration.getValueType();
    this.events = new EventDispatcher<>(this, new RemoteEvents());
    for (CacheEntryListenerConfiguration<K, V> listener : this.configuration.getCacheEntryListenerConfigurations()) {
      events.register(listener);
    }
    if (events.hasListeners()) {
      manager.clusterEvents().listening(name, true);
    }
    CacheWriter<? super K, ? super V> cacheWriter = this.configuration.isWriteThrough()
        && this.configuration.getCacheWriterFactory() != null ? this.configuration.getCacheWriterFactory().create() : null;
    this.writer = cacheWriter == null ? null : new WriteThrough<>(cacheWriter, SlotcacheEntry::new);
    CacheLoader<K, V> cacheLoader = this.configuration.getCacheLoaderFactory() == null ? null
        : this.configuration.getCacheLoaderFactory().create();
    this.loader = cacheLoader == null ? null : new ReadThrough<>(cacheLoader);
    this.readThrough = this.configuration.isReadThrough() && loader != null;
    this.configurationBean = new CacheConfigurationBean(this::configurationCopy);
    try {
      if (this.configuration.isStatisticsEnabled()) {
        setStatisticsEnabled(true);
      }
      if (this.configuration.isManagementEnabled()) {
        setManagementEnabled(true);
      }
    } catch (RuntimeException e) {
      // The manager never sees this cache: undo what was opened (listeners, the user's resources, a bean).
      try {
        closeInternal();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Turns statistics on or off, registering or unregistering the statistics MXBean. */
  void setStatisticsEnabled(boolean enabled) {
    synchronized (configuration) {
      configuration.setStatisticsEnabled(enabled);
      statistics.setEnabled(enabled);
      if (enabled) {
        MBeans.register(MBeans.Kind.CacheStatistics, manager.getURI(), name, statistics);
      } else {
        MBeans.unregister(MBeans.Kind.CacheStatistics, manager.getURI(), name, statistics);
      }
    }
  }

  /** Turns management on or off, registering or unregistering the configuration MXBean. */
  void setManagementEnabled(boolean enabled) {
    synchronized (configuration) {
      configuration.setManagementEnabled(enabled);
      if (enabled) {
        MBeans.register(MBeans.Kind.CacheConfiguration, manager.getURI(), name, configurationBean);
      } else {
        MBeans.unregister(MBeans.Kind.CacheConfiguration, manager.getURI(), name, configurationBean);
      }
    }
  }

  private SlotcacheConfiguration<K, V> configurationCopy() {
    synchronized (configuration) {
      return new SlotcacheConfiguration<>(configuration);
    }
  }

  /** This JVM's statistics of the cache (counting only while enabled). */
  CacheStatistics statistics() {
    return statistics;
  }

  /** The effective configuration (a copy). */
  CompleteConfiguration<K, V> configuration() {
    return configurationCopy();
  }

  // ------------------------------------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    long start = statistics.start();
    V value = read(k);
    if (value != null) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
      if (readThrough) {
        value = loadAndStore(key, k);
      }
    }
    statistics.getTime(start);
    return value;
  }

  /** The value under k, applying the access TTL on a hit. */
  private V read(byte[] k) {
    if (expiry.isPure() && expiry.accessMayChangeTtl()) {
      return decode(k, store.getAndExpire(k, expiry.access()));
    }
    V value = decode(k, store.get(k));
    if (value != null && !expiry.isPure()) {
      store.expire(k, expiry.access());
    }
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    long start = statistics.start();
    try {
      return readAll(keys);
    } finally {
      statistics.getTime(start);
    }
  }

  private Map<K, V> readAll(Set<? extends K> keys) {
    List<K> keyList = new ArrayList<>(keys.size());
    List<byte[]> encoded = new ArrayList<>(keys.size());
    for (K key : keys) {
      keyList.add(key);
      encoded.add(encodeKey(key));
    }
    List<byte[]> records;
    boolean accessPerHit = !expiry.isPure();
    if (expiry.isPure() && expiry.accessMayChangeTtl()) {
      records = store.getAllAndExpire(encoded, expiry.access());
    } else {
      records = store.getAll(encoded);
    }
    Map<K, V> result = new LinkedHashMap<>();
    List<K> missing = new ArrayList<>();
    for (int i = 0; i < keyList.size(); i++) {
      V value = decode(encoded.get(i), records.get(i));
      if (value != null) {
        result.put(keyList.get(i), value);
        if (accessPerHit) {
          store.expire(encoded.get(i), expiry.access());
        }
      } else {
        missing.add(keyList.get(i));
      }
    }
    statistics.hits(result.size());
    statistics.misses(missing.size());
    if (readThrough && !missing.isEmpty()) {
      Map<K, V> loaded = loader.loadAll(missing);
      for (K key : missing) {
        V value = loaded == null ? null : loaded.get(key);
        if (value != null) {
          storeLoaded(key, encodeKey(key), value);
          result.put(key, value);
        }
      }
    }
    return result;
  }

  /** Read-through: loads a missing value and stores it as a creation (the writer is not called for loads). */
  private V loadAndStore(K key, byte[] k) {
    V value = loader.load(key);
    if (value != null) {
      storeLoaded(key, k, value);
    }
    return value;
  }

  private void storeLoaded(K key, byte[] k, V value) {
    checkValueType(value);
    long creation = expiry.creation();
    if (store.putIfAbsent(k, encodeRecord(key, value), creation) && creation != Ttl.EXPIRE_NOW) {
      events.created(key, value);
    }
  }

  @Override
  public boolean containsKey(K key) {
    requireNotClosed();
    return store.exists(encodeKey(key));
  }

  // ------------------------------------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    long start = statistics.start();
    if (writer != null) {
      writer.write(key, value);
    }
    boolean needOld = events.listensTo(EventType.CREATED) || events.listensTo(EventType.UPDATED);
    Written written = write(k, record, needOld);
    if (written.stored()) {
      statistics.puts(1);
      if (needOld) {
        fireWritten(key, value, decodeQuietly(written.old()));
      }
    }
    statistics.putTime(start);
  }

  @Override
  public V getAndPut(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    long start = statistics.start();
    if (writer != null) {
      writer.write(key, value);
    }
    Written written = write(k, record, true);
    V old = decodeQuietly(written.old());
    if (old != null) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
    }
    if (written.stored()) {
      statistics.puts(1);
      fireWritten(key, value, old);
    }
    statistics.getTime(start);
    statistics.putTime(start);
    return old;
  }

  private void fireWritten(K key, V value, V old) {
    if (old == null) {
      events.created(key, value);
    } else {
      events.updated(key, value, old);
    }
  }

  /**
   * An unconditional write with the creation or update TTL, whichever applies. The old record comes back when
   * {@code returnOld}; {@code stored} is false only for a new entry whose creation TTL is zero (never stored).
   */
  private Written write(byte[] k, byte[] record, boolean returnOld) {
    if (expiry.isPure()) {
      long creation = expiry.creation();
      byte[] old = store.put(k, record, creation, expiry.update(), returnOld);
      // With a zero creation TTL the store runs the put script, which always says whether the key existed.
      return new Written(old, creation != Ttl.EXPIRE_NOW || old != null);
    }
    if (store.exists(k)) {
      long ttl = expiry.update();
      byte[] old = store.put(k, record, ttl == Ttl.KEEP ? Ttl.PERSIST : ttl, ttl, returnOld);
      return new Written(old, true);
    }
    long ttl = expiry.creation();
    return new Written(store.put(k, record, ttl, ttl, returnOld), ttl != Ttl.EXPIRE_NOW);
  }

  private record Written(byte[] old, boolean stored) {
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireNotClosed();
    requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      K key = entry.getKey();
      V value = entry.getValue();
      requireNonNull(key, "a key in the map is null");
      requireNonNull(value, "a value in the map is null");
      checkTypes(key, value);
    }
    long start = statistics.start();
    Map<? extends K, ? extends V> toStore = map;
    CacheWriterException failure = null;
    if (writer != null) {
      WriteThrough.Batch<K> batch = writer.writeAll(map);
      toStore = WriteThrough.only(map, batch.done());
      failure = batch.failure();
    }
    List<K> keyList = new ArrayList<>(toStore.size());
    List<V> values = new ArrayList<>(toStore.size());
    List<byte[]> keys = new ArrayList<>(toStore.size());
    List<byte[]> records = new ArrayList<>(toStore.size());
    for (Map.Entry<? extends K, ? extends V> entry : toStore.entrySet()) {
      keyList.add(entry.getKey());
      values.add(entry.getValue());
      keys.add(encodeKey(entry.getKey()));
      records.add(encodeRecord(entry.getKey(), entry.getValue()));
    }
    boolean needOld = !expiry.isPure() || expiry.creation() == Ttl.EXPIRE_NOW
        || events.listensTo(EventType.CREATED) || events.listensTo(EventType.UPDATED);
    List<byte[]> olds = needOld ? store.getAll(keys) : null;
    boolean[] stored = storeAll(keys, records, olds);
    for (int i = 0; i < keyList.size(); i++) {
      if (stored[i]) {
        statistics.puts(1);
        if (olds != null) {
          fireWritten(keyList.get(i), values.get(i), decodeQuietly(olds.get(i)));
        }
      }
    }
    statistics.putTime(start);
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Stores records; {@code olds} (the records before, or null when not read) lets a custom expiry policy be
   * asked the one question that applies. Returns which entries were stored: a new entry with a zero creation
   * TTL is not.
   */
  private boolean[] storeAll(List<byte[]> keys, List<byte[]> records, List<byte[]> olds) {
    boolean[] stored = new boolean[keys.size()];
    if (keys.isEmpty()) {
      return stored;
    }
    if (expiry.isPure()) {
      long creation = expiry.creation();
      store.putAll(keys, records, creation, expiry.update());
      for (int i = 0; i < stored.length; i++) {
        stored[i] = creation != Ttl.EXPIRE_NOW || (olds != null && olds.get(i) != null);
      }
      return stored;
    }
    List<byte[]> current = olds != null ? olds : store.getAll(keys);
    Map<List<Long>, List<Integer>> byTtl = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      long ttl;
      if (current.get(i) != null) {
        ttl = expiry.update();
        stored[i] = true;
        byTtl.computeIfAbsent(List.of(ttl == Ttl.KEEP ? Ttl.PERSIST : ttl, ttl), t -> new ArrayList<>()).add(i);
      } else {
        ttl = expiry.creation();
        stored[i] = ttl != Ttl.EXPIRE_NOW;
        byTtl.computeIfAbsent(List.of(ttl, ttl), t -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<List<Long>, List<Integer>> group : byTtl.entrySet()) {
      List<byte[]> groupKeys = new ArrayList<>();
      List<byte[]> groupRecords = new ArrayList<>();
      for (int i : group.getValue()) {
        groupKeys.add(keys.get(i));
        groupRecords.add(records.get(i));
      }
      store.putAll(groupKeys, groupRecords, group.getKey().get(0), group.getKey().get(1));
    }
    return stored;
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    long start = statistics.start();
    if ((writer != null || !expiry.isPure()) && store.exists(k)) {
      statistics.hits(1);
      return false;
    }
    if (writer != null) {
      writer.write(key, value);
    }
    long creation = expiry.creation();
    boolean applied = store.putIfAbsent(k, record, creation);
    if (applied) {
      statistics.misses(1);
      if (creation != Ttl.EXPIRE_NOW) {
        statistics.puts(1);
        events.created(key, value);
      }
      statistics.putTime(start);
    } else {
      statistics.hits(1);
    }
    return applied;
  }

  @Override
  public boolean remove(K key) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    long start = statistics.start();
    if (writer != null) {
      writer.delete(key);
    }
    boolean needOld = events.listensTo(EventType.REMOVED);
    byte[] old = store.remove(k, needOld);
    if (old != null) {
      statistics.removals(1);
      statistics.removeTime(start);
      fireRemoved(key, needOld ? decodeQuietly(old) : null);
    }
    return old != null;
  }

  private void fireRemoved(K key, V old) {
    if (old != null) {
      events.removed(key, old);
    }
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    requireNonNull(oldValue, "oldValue");
    checkValueType(oldValue);
    long start = statistics.start();
    Outcome outcome = replaceIfEqual(key, k, oldValue, null, null);
    countConditional(outcome);
    if (outcome == Outcome.APPLIED) {
      statistics.removals(1);
      statistics.removeTime(start);
      events.removed(key, oldValue);
    }
    return outcome == Outcome.APPLIED;
  }

  private void countConditional(Outcome outcome) {
    if (outcome == Outcome.ABSENT) {
      statistics.misses(1);
    } else {
      statistics.hits(1);
    }
  }

  @Override
  public V getAndRemove(K key) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    long start = statistics.start();
    if (writer != null) {
      writer.delete(key);
    }
    V old = decodeQuietly(store.remove(k, true));
    if (old != null) {
      statistics.hits(1);
      statistics.removals(1);
      statistics.removeTime(start);
      events.removed(key, old);
    } else {
      statistics.misses(1);
    }
    statistics.getTime(start);
    return old;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    requireNonNull(oldValue, "oldValue");
    checkValueType(oldValue);
    byte[] record = encodeRecord(key, newValue);
    long start = statistics.start();
    Outcome outcome = replaceIfEqual(key, k, oldValue, newValue, record);
    countConditional(outcome);
    if (outcome == Outcome.APPLIED) {
      statistics.puts(1);
      statistics.putTime(start);
      events.updated(key, newValue, oldValue);
    }
    return outcome == Outcome.APPLIED;
  }

  /**
   * Replaces (or removes, when {@code record} is null) the entry while its value equals {@code expected}.
   * One script compares the encoded bytes; when they differ but the values are {@code equals} (an encoding
   * that is not canonical, such as a HashMap value) it falls back to compare-and-set on the entry's stamp.
   */
  private Outcome replaceIfEqual(K key, byte[] k, V expected, V newValue, byte[] record) {
    byte[] expectedPayload = encodePayload(expected);
    if (!expiry.isPure() || writer != null) {
      return replaceIfEqualByStamp(key, k, expected, newValue, record);
    }
    long ttl = record == null ? Ttl.EXPIRE_NOW : expiry.update();
    long mismatchTtl = expiry.accessMayChangeTtl() ? expiry.access() : Ttl.KEEP;
    Conditional result = store.replaceIfEqual(k, expectedPayload, record, ttl, mismatchTtl);
    if (result.outcome() != Outcome.MISMATCH) {
      return result.outcome();
    }
    V current = decode(k, result.current());
    if (current == null || !current.equals(expected)) {
      return current == null ? Outcome.ABSENT : Outcome.MISMATCH;
    }
    return replaceIfEqualByStamp(key, k, expected, newValue, record);
  }

  /** The compare-in-this-JVM path: read, compare by equals, call the writer, compare-and-set on the stamp. */
  private Outcome replaceIfEqualByStamp(K key, byte[] k, V expected, V newValue, byte[] record) {
    for (int attempt = 0; attempt <= invokeRetries; attempt++) {
      backOff(attempt);
      byte[] currentRecord = store.get(k);
      V current = decode(k, currentRecord);
      if (current == null) {
        return Outcome.ABSENT;
      }
      if (!current.equals(expected)) {
        store.expire(k, expiry.access());
        return Outcome.MISMATCH;
      }
      if (writer != null) {
        if (record == null) {
          writer.delete(key);
        } else {
          writer.write(key, newValue);
        }
      }
      long ttl = record == null ? Ttl.EXPIRE_NOW : expiry.update();
      if (store.compareAndSet(k, Record.header(currentRecord), record, ttl)) {
        return Outcome.APPLIED;
      }
    }
    throw contended(k);
  }

  @Override
  public boolean replace(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    long start = statistics.start();
    if ((writer != null || !expiry.isPure()) && !store.exists(k)) {
      statistics.misses(1);
      return false;
    }
    if (writer != null) {
      writer.write(key, value);
    }
    boolean needOld = events.listensTo(EventType.UPDATED);
    byte[] old = store.replace(k, record, expiry.update(), needOld);
    if (old == null) {
      statistics.misses(1);
      return false;
    }
    statistics.hits(1);
    statistics.puts(1);
    statistics.putTime(start);
    if (needOld) {
      V previous = decodeQuietly(old);
      if (previous != null) {
        events.updated(key, value, previous);
      }
    }
    return true;
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    long start = statistics.start();
    if ((writer != null || !expiry.isPure()) && !store.exists(k)) {
      statistics.misses(1);
      return null;
    }
    if (writer != null) {
      writer.write(key, value);
    }
    V old = decodeQuietly(store.replace(k, record, expiry.update(), true));
    if (old == null) {
      statistics.misses(1);
      return null;
    }
    statistics.hits(1);
    statistics.puts(1);
    statistics.getTime(start);
    statistics.putTime(start);
    events.updated(key, value, old);
    return old;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    for (K key : keys) {
      checkKey(key);
    }
    removeKeys(keys);
  }

  private void removeKeys(Collection<? extends K> keys) {
    long start = statistics.start();
    Collection<? extends K> toRemove = keys;
    CacheWriterException failure = null;
    if (writer != null && !keys.isEmpty()) {
      WriteThrough.Batch<K> batch = writer.deleteAll(keys);
      toRemove = batch.done();
      failure = batch.failure();
    }
    List<K> keyList = new ArrayList<>(toRemove);
    List<byte[]> encoded = new ArrayList<>(keyList.size());
    for (K key : keyList) {
      encoded.add(encodeKey(key));
    }
    boolean needOld = events.listensTo(EventType.REMOVED);
    List<byte[]> olds = needOld ? store.getAll(encoded) : null;
    long removed = store.removeAll(encoded);
    statistics.removals(removed);
    statistics.removeTime(start);
    if (needOld) {
      for (int i = 0; i < keyList.size(); i++) {
        fireRemoved(keyList.get(i), decodeQuietly(olds.get(i)));
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void removeAll() {
    requireNotClosed();
    if (writer == null && !events.listensTo(EventType.REMOVED) && !statistics.isEnabled()) {
      store.clear();
      return;
    }
    List<K> all = new ArrayList<>();
    for (int from = 0; from < store.layout().segments(); from += 64) {
      for (List<byte[]> segmentKeys : store.keysOfSegments(from, Math.min(64, store.layout().segments() - from))) {
        for (byte[] k : segmentKeys) {
          try {
            @SuppressWarnings("unchecked")
            K key = (K) codec.decodeKey(k);
            all.add(key);
          } catch (CodecException e) {
            store.remove(k, false); // a key this JVM cannot read: removed all the same
          }
        }
      }
    }
    removeKeys(all);
  }

  @Override
  public void clear() {
    requireNotClosed();
    store.clear();
  }

  /** Removes every entry; used by {@code destroyCache}, which works on closed caches too. */
  void destroyData() {
    store.clear();
  }

  // ------------------------------------------------------------------------------------------- invoke

  @Override
  public <T> T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    requireNonNull(entryProcessor, "entryProcessor");
    long deadline = System.nanoTime() + retryTime.toNanos();
    // Commits whose reply was lost. One may still be applied later (its bytes can sit unread on a frozen node),
    // so every later read checks all of them, not just the last.
    List<Pending<T>> unknown = List.of();
    int conflicts = 0;
    for (int failures = 0; ; ) {
      try (CacheStore.Watched watched = store.watch(k)) {
        byte[] record = watched.value();
        for (Pending<T> pending : unknown) {
          if (pending.applied(record)) {
            // Applied although its reply was lost: not again, but reported exactly as a commit whose reply came.
            countInvoke(pending.entry);
            afterInvoke(pending.entry, pending.previous);
            return pending.result;
          }
        }
        V current = decode(k, record);
        ProcessedEntry entry = new ProcessedEntry(key, current);
        T result = process(entryProcessor, entry, arguments);
        Commit commit = commitOf(k, entry, current == null ? null : record);
        if (commit == null) {
          countInvoke(entry);
          afterInvoke(entry, current);
          return result;
        }
        writeThrough(entry);
        try {
          if (watched.commit(commit.record, commit.ttl)) {
            countInvoke(entry);
            if (commit.record != null && commit.ttl == Ttl.EXPIRE_NOW && current == null) {
              return result; // created and expired at once: neither stored nor announced
            }
            afterInvoke(entry, current);
            return result;
          }
        } catch (StoreException e) {
          if (e.outcomeUnknown()) {
            unknown = new ArrayList<>(unknown);
            unknown.add(new Pending<>(commit, entry, current, result));
          }
          throw e;
        }
        if (++conflicts > invokeRetries) {
          throw contended(k);
        }
        backOff(conflicts);
      } catch (StoreException e) {
        // A failover, a moved slot or a dropped connection: the same budget as every other operation.
        if (!e.isTransient() || System.nanoTime() - deadline >= 0) {
          throw e;
        }
        pauseBeforeRetry(++failures, deadline);
      }
    }
  }

  /**
   * A commit whose reply was lost. It was applied when the entry now carries its record's stamp (a write), or is
   * absent where it existed (a removal); otherwise the invocation runs again on what is stored now. (Not seen:
   * a lost-reply write that was applied and then overwritten by another writer before this JVM read again; the
   * invocation then applies twice. See docs/decisions.md.)
   */
  private final class Pending<T> {
    final Commit commit;
    final ProcessedEntry entry;
    final V previous;
    final T result;

    Pending(Commit commit, ProcessedEntry entry, V previous, T result) {
      this.commit = commit;
      this.entry = entry;
      this.previous = previous;
      this.result = result;
    }

    boolean applied(byte[] stored) {
      if (commit.record() == null) {
        return stored == null && commit.expectedHeader() != null;
      }
      return stored != null && Arrays.equals(Record.header(stored), Record.header(commit.record()));
    }
  }

  /** Waits before retrying after a transient failure: 10 ms doubling to 200 ms, never past the deadline. */
  private static void pauseBeforeRetry(int failures, long deadline) {
    long pause = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Math.min(200, 10L << Math.min(failures, 5)));
    java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, Math.min(pause, deadline - System.nanoTime())));
  }

  private void countInvoke(ProcessedEntry entry) {
    if (entry.existed) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
    }
  }

  /** The writer's part of an invocation, before its commit; a writer failure leaves the entry unchanged. */
  private void writeThrough(ProcessedEntry entry) {
    if (writer == null) {
      return;
    }
    try {
      if (entry.operation == Operation.CREATE || entry.operation == Operation.UPDATE) {
        writer.write(entry.key, entry.value);
      } else if (entry.operation == Operation.REMOVE) {
        writer.delete(entry.key);
      }
    } catch (CacheWriterException e) {
      throw new EntryProcessorException(e);
    }
  }

  /** Statistics and events of a committed invocation. */
  private void afterInvoke(ProcessedEntry entry, V previous) {
    switch (entry.operation) {
      case CREATE:
      case LOAD:
        statistics.puts(1);
        events.created(entry.key, entry.value);
        break;
      case UPDATE:
        statistics.puts(1);
        events.updated(entry.key, entry.value, previous);
        break;
      case REMOVE:
        statistics.removals(1);
        fireRemoved(entry.key, previous);
        break;
      default:
        if (entry.removedAbsent && writer != null) {
          writer.delete(entry.key);
        }
        break;
    }
  }

  private <T> T process(EntryProcessor<K, V, T> processor, ProcessedEntry entry, Object[] arguments) {
    try {
      return processor.process(entry, arguments);
    } catch (EntryProcessorException e) {
      throw e;
    } catch (Exception e) {
      throw new EntryProcessorException(e);
    }
  }

  /** What a processed entry must write, or null when nothing (an access TTL is applied here). */
  private Commit commitOf(byte[] k, ProcessedEntry entry, byte[] record) {
    byte[] expectedHeader = record == null ? null : Record.header(record);
    switch (entry.operation) {
      case CREATE:
      case LOAD:
        return new Commit(expectedHeader, encodeRecord(entry.key, entry.value), expiry.creation());
      case UPDATE:
        return new Commit(expectedHeader, encodeRecord(entry.key, entry.value), expiry.update());
      case REMOVE:
        return record == null ? null : new Commit(expectedHeader, null, Ttl.EXPIRE_NOW);
      case ACCESS:
        store.expire(k, expiry.access());
        return null;
      default:
        return null;
    }
  }

  private record Commit(byte[] expectedHeader, byte[] record, long ttl) {
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    requireNonNull(entryProcessor, "entryProcessor");
    List<K> keyList = new ArrayList<>(keys);
    List<byte[]> encoded = new ArrayList<>(keyList.size());
    for (K key : keyList) {
      encoded.add(encodeKey(key));
    }
    Map<K, EntryProcessorResult<T>> results = new LinkedHashMap<>();
    if (writer != null || loader != null || events.hasListeners() || statistics.isEnabled()) {
      // Writer, loader, listeners and statistics follow each entry: one invocation per key.
      for (K key : keyList) {
        invokeInto(results, key, entryProcessor, arguments);
      }
      return results;
    }
    // One batched read, the processors here, one batched compare-and-set; conflicts go the single-key way.
    List<byte[]> records = store.getAll(encoded);
    List<Integer> toCommit = new ArrayList<>();
    List<byte[]> commitKeys = new ArrayList<>();
    List<byte[]> commitHeaders = new ArrayList<>();
    List<byte[]> commitRecords = new ArrayList<>();
    List<Long> commitTtls = new ArrayList<>();
    Map<Integer, T> pendingResults = new HashMap<>();
    for (int i = 0; i < keyList.size(); i++) {
      K key = keyList.get(i);
      byte[] record = records.get(i);
      V current = decode(encoded.get(i), record);
      if (current == null) {
        record = null;
      }
      ProcessedEntry entry = new ProcessedEntry(key, current);
      T result;
      Commit commit;
      try {
        result = process(entryProcessor, entry, arguments);
        commit = commitOf(encoded.get(i), entry, record);
      } catch (RuntimeException e) {
        EntryProcessorException failure = e instanceof EntryProcessorException epe ? epe : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
        continue;
      }
      if (commit == null) {
        putResult(results, key, result);
        continue;
      }
      toCommit.add(i);
      commitKeys.add(encoded.get(i));
      commitHeaders.add(commit.expectedHeader);
      commitRecords.add(commit.record);
      commitTtls.add(commit.ttl);
      pendingResults.put(i, result);
    }
    if (!toCommit.isEmpty()) {
      long[] ttls = commitTtls.stream().mapToLong(Long::longValue).toArray();
      boolean[] applied = store.compareAndSetAll(commitKeys, commitHeaders, commitRecords, ttls);
      for (int j = 0; j < toCommit.size(); j++) {
        int i = toCommit.get(j);
        K key = keyList.get(i);
        if (applied[j] || isOwnWrite(commitKeys.get(j), commitRecords.get(j))) {
          putResult(results, key, pendingResults.get(i));
          continue;
        }
        invokeInto(results, key, entryProcessor, arguments);
      }
    }
    return results;
  }

  /** One invocation of an invokeAll: its result, or its failure for {@code EntryProcessorResult.get()}. */
  private <T> void invokeInto(Map<K, EntryProcessorResult<T>> results, K key, EntryProcessor<K, V, T> processor,
      Object[] arguments) {
    try {
      putResult(results, key, invoke(key, processor, arguments));
    } catch (EntryProcessorException e) {
      results.put(key, () -> {
        throw e;
      });
    }
  }

  /** After a failed batch commit: whether the stored record is the one we wrote (a lost reply). */
  private boolean isOwnWrite(byte[] k, byte[] record) {
    if (record == null) {
      return false;
    }
    byte[] current = store.get(k);
    return current != null && Arrays.equals(Record.header(current), Record.header(record));
  }

  private static <K, T> void putResult(Map<K, EntryProcessorResult<T>> results, K key, T result) {
    if (result != null) {
      results.put(key, () -> result);
    }
  }

  // ------------------------------------------------------------------------------------------- the rest

  @Override
  public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener completionListener) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    for (K key : keys) {
      requireNonNull(key, "a key in the set is null");
    }
    if (loader == null) {
      if (completionListener != null) {
        completionListener.onCompletion();
      }
      return;
    }
    List<K> keyList = new ArrayList<>(keys);
    loadExecutor().execute(() -> {
      try {
        List<K> toLoad = new ArrayList<>();
        for (K key : keyList) {
          if (replaceExistingValues || !containsKey(key)) {
            toLoad.add(key);
          }
        }
        Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : loader.loadAll(toLoad);
        for (K key : toLoad) {
          V value = loaded == null ? null : loaded.get(key);
          if (value == null) {
            continue;
          }
          if (replaceExistingValues) {
            byte[] k = encodeKey(key);
            Written written = write(k, encodeRecord(key, value), true);
            if (written.stored()) {
              fireWritten(key, value, decodeQuietly(written.old()));
            }
          } else {
            storeLoaded(key, encodeKey(key), value);
          }
        }
        if (completionListener != null) {
          completionListener.onCompletion();
        }
      } catch (Exception e) {
        if (completionListener != null) {
          completionListener.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
        }
      }
    });
  }

  private ExecutorService loadExecutor() {
    ExecutorService executor = loads;
    if (executor == null) {
      synchronized (this) {
        if (loads == null) {
          loads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "slotcache-load-" + name);
            thread.setDaemon(true);
            return thread;
          });
        }
        executor = loads;
      }
    }
    return executor;
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    requireNonNull(clazz, "clazz");
    SlotcacheConfiguration<K, V> copy = configurationCopy();
    if (clazz.isInstance(copy)) {
      return clazz.cast(copy);
    }
    throw new IllegalArgumentException("the configuration of cache '" + name + "' is a "
        + SlotcacheConfiguration.class.getName() + ", not a " + clazz.getName());
  }

  @Override
  public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    requireNotClosed();
    requireNonNull(cacheEntryListenerConfiguration, "cacheEntryListenerConfiguration");
    synchronized (configuration) {
      events.register(cacheEntryListenerConfiguration);
      configuration.addCacheEntryListenerConfiguration(cacheEntryListenerConfiguration);
    }
    manager.clusterEvents().listening(name, true);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    requireNotClosed();
    requireNonNull(cacheEntryListenerConfiguration, "cacheEntryListenerConfiguration");
    synchronized (configuration) {
      events.deregister(cacheEntryListenerConfiguration);
      configuration.removeCacheEntryListenerConfiguration(cacheEntryListenerConfiguration);
      if (!events.hasListeners()) {
        manager.clusterEvents().listening(name, false);
      }
    }
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void close() {
    if (!closed) {
      closeInternal();
      manager.released(this);
    }
  }

  /**
   * Closes this handle: MXBeans, listeners, threads, and the user's writer, loader and expiry policy; the data
   * stays in Redis. A user's resource that fails to close is logged (see {@link UserResources}); a failure to
   * unregister an MXBean is thrown once everything else is closed.
   */
  void closeInternal() {
    if (closed) {
      return;
    }
    closed = true;
    CacheException unregistering = null;
    for (MBeans.Kind kind : MBeans.Kind.values()) {
      try {
        MBeans.unregister(kind, manager.getURI(), name,
            kind == MBeans.Kind.CacheStatistics ? statistics : configurationBean);
      } catch (CacheException e) {
        if (unregistering == null) {
          unregistering = e;
        } else {
          unregistering.addSuppressed(e);
        }
      }
    }
    if (events.hasListeners()) {
      manager.clusterEvents().listening(name, false);
    }
    UserResources closing = new UserResources(name);
    events.close(closing);
    ExecutorService executor = loads;
    if (executor != null) {
      executor.shutdown();
    }
    closing.close("writer", writer == null ? null : writer.delegate());
    closing.close("loader", loader == null ? null : loader.delegate());
    closing.close("expiry policy", expiryPolicy);
    closing.warnOfFailures();
    if (unregistering != null) {
      throw unregistering;
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    requireNonNull(clazz, "clazz");
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    throw new IllegalArgumentException("cache '" + name + "' cannot be unwrapped to " + clazz.getName());
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireNotClosed();
    return new SegmentIterator();
  }

  /**
   * Walks the cache segment by segment: lists a segment's keys, then reads their values in one batch. Entries
   * written after their segment was listed may be missed; entries removed meanwhile are skipped. Not
   * thread-safe (like any iterator).
   */
  private final class SegmentIterator implements Iterator<Entry<K, V>> {
    private static final int SEGMENTS_PER_LISTING = 64;
    private int segment;
    private List<List<byte[]>> listed = List.of();
    private int listedFrom;
    private Iterator<Entry<K, V>> current = Collections.emptyIterator();
    private Entry<K, V> last;

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (segment >= store.layout().segments() || closed) {
          return false;
        }
        current = readSegment(segment++);
      }
      return true;
    }

    @Override
    public Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      last = current.next();
      return last;
    }

    @Override
    public void remove() {
      if (last == null) {
        throw new IllegalStateException("next() has not been called, or remove() was called already");
      }
      SlotcacheCache.this.remove(last.getKey());
      last = null;
    }

    @SuppressWarnings("unchecked")
    private Iterator<Entry<K, V>> readSegment(int segmentIndex) {
      if (segmentIndex >= listedFrom + listed.size()) {
        listedFrom = segmentIndex;
        listed = store.keysOfSegments(segmentIndex,
            Math.min(SEGMENTS_PER_LISTING, store.layout().segments() - segmentIndex));
      }
      List<byte[]> keys = listed.get(segmentIndex - listedFrom);
      if (keys.isEmpty()) {
        return Collections.emptyIterator();
      }
      List<byte[]> records = expiry.isPure() && expiry.accessMayChangeTtl()
          ? store.getAllAndExpire(keys, expiry.access()) : store.getAll(keys);
      List<Entry<K, V>> entries = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        V value = decode(keys.get(i), records.get(i));
        if (value == null) {
          continue;
        }
        K key;
        try {
          key = (K) codec.decodeKey(keys.get(i));
        } catch (CodecException e) {
          continue; // a key this JVM cannot read (class drift): skip it, it is not ours to judge
        }
        if (!expiry.isPure()) {
          store.expire(keys.get(i), expiry.access());
        }
        entries.add(new SlotcacheEntry<>(key, value));
        statistics.hits(1);
      }
      return entries.iterator();
    }
  }

  // ------------------------------------------------------------------------------------------- helpers

  private byte[] encodeKey(K key) {
    checkKey(key);
    try {
      return codec.encodeKey(key);
    } catch (CodecException e) {
      throw new CacheException("cache '" + name + "': " + e.getMessage(), e);
    }
  }

  /** The spec's checks of a key, before any I/O: not null, of the configured type. */
  private void checkKey(K key) {
    requireNonNull(key, "key");
    if (keyType != null && !keyType.isInstance(key)) {
      throw new ClassCastException("cache '" + name + "' has key type " + keyType.getName() + ", not "
          + key.getClass().getName());
    }
  }

  private void checkTypes(K key, V value) {
    checkKey(key);
    checkValueType(value);
  }

  private void checkValueType(Object value) {
    if (valueType != null && !valueType.isInstance(value)) {
      throw new ClassCastException("cache '" + name + "' has value type " + valueType.getName() + ", not "
          + value.getClass().getName());
    }
  }

  private byte[] encodePayload(V value) {
    return encodeWithHeadroom(value, 0);
  }

  private byte[] encodeWithHeadroom(V value, int headroom) {
    byte[] bytes;
    try {
      bytes = codec.encodeValue(value, headroom);
    } catch (CodecException e) {
      throw new CacheException("cache '" + name + "': " + e.getMessage(), e);
    }
    if (bytes.length - headroom > maxValueBytes) {
      throw new CacheException("cache '" + name + "': a value of " + value.getClass().getName() + " encodes to "
          + (bytes.length - headroom) + " bytes, more than slotcache.max-value-bytes (" + maxValueBytes + ")");
    }
    return bytes;
  }

  private byte[] encodeRecord(K key, V value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    checkValueType(value);
    return Record.frameInPlace(encodeWithHeadroom(value, Record.HEADER_LENGTH));
  }

  /**
   * The value in a stored record; null for a miss. Bytes that are not ours or do not decode (another
   * application's data, a class that changed after a deploy) are a miss, and are removed only if they are
   * still the same bytes, so a concurrent good write is never lost. Bytes naming a class that this manager's
   * class loader cannot load are a miss and stay: a JVM that sees the class reads them.
   */
  @SuppressWarnings("unchecked")
  private V decode(byte[] k, byte[] record) {
    if (record == null || record == CacheStore.PRESENT) {
      return null;
    }
    String reason;
    if (Record.isRecord(record)) {
      try {
        Object value = codec.decodeValue(record, Record.HEADER_LENGTH);
        if (valueType == null || valueType.isInstance(value)) {
          return (V) value;
        }
        reason = "a " + value.getClass().getName() + " where the cache holds " + valueType.getName();
      } catch (ClassNotVisibleException e) {
        unreadable.classNotVisible(e.className(), manager.getClassLoader());
        return null;
      } catch (CodecException e) {
        reason = e.getMessage();
      }
    } else {
      reason = "bytes without Slotcache's value header";
    }
    unreadable.found(reason);
    store.deleteIfSame(k, record);
    return null;
  }

  /**
   * Randomised exponential back-off before retry {@code attempt} of a compare-and-set: without it, writers
   * contending for one hot key keep invalidating each other's reads and one of them may starve.
   */
  private static void backOff(int attempt) {
    if (attempt == 0) {
      return;
    }
    long ceilingMicros = 20L << Math.min(attempt, 8);
    java.util.concurrent.locks.LockSupport.parkNanos(
        java.util.concurrent.ThreadLocalRandom.current().nextLong(ceilingMicros * 1000));
  }

  /** An old value returned by a write: null when absent or unreadable (no clean-up: it was just replaced). */
  @SuppressWarnings("unchecked")
  private V decodeQuietly(byte[] record) {
    if (record == null || record == CacheStore.PRESENT || !Record.isRecord(record)) {
      return null;
    }
    try {
      Object value = codec.decodeValue(record, Record.HEADER_LENGTH);
      return valueType == null || valueType.isInstance(value) ? (V) value : null;
    } catch (CodecException e) {
      return null;
    }
  }

  private CacheException contended(byte[] k) {
    return new CacheException("cache '" + name + "': gave up after " + invokeRetries + " retries on a key that "
        + "other writers kept changing (slotcache.invoke.max-retries)");
  }

  private void requireNotClosed() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "SlotcacheCache[" + name + " in " + manager.shownUri() + "]";
  }

  // ------------------------------------------------------------------------------------------- other JVMs

  /**
   * Events for other JVMs: {@code [origin][type][key][value or -1][old value or -1]}, key and values in the
   * codec's encoding. Built only while another JVM listens on this cache.
   */
  private final class RemoteEvents implements EventDispatcher.RemoteSink<K, V> {
    @Override
    public boolean othersListen() {
      return manager.clusterEvents().othersListen(name);
    }

    @Override
    public void publish(EventType type, K key, V value, V oldValue) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
        out.writeUTF(manager.nodeId());
        out.writeByte(type.ordinal());
        writeBytes(out, codec.encodeKey(key));
        writeBytes(out, value == null ? null : codec.encodeValue(value));
        writeBytes(out, oldValue == null ? null : codec.encodeValue(oldValue));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("writing to memory cannot fail", e);
      }
      manager.clusterEvents().publish(name, bytes.toByteArray());
    }

    private void writeBytes(java.io.DataOutputStream out, byte[] data) throws java.io.IOException {
      if (data == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(data.length);
        out.write(data);
      }
    }
  }

  /** An event another JVM published: delivered to this JVM's listeners (on the subscriber's thread). */
  @SuppressWarnings("unchecked")
  void eventFromElsewhere(byte[] message) {
    if (closed || !events.hasListeners()) {
      return;
    }
    try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(message))) {
      if (in.readUTF().equals(manager.nodeId())) {
        return; // our own, delivered already
      }
      EventType type = EventType.values()[in.readByte()];
      K key = (K) codec.decodeKey(readBytes(in));
      byte[] value = readBytes(in);
      byte[] old = readBytes(in);
      events.fromElsewhere(type, key, value == null ? null : (V) codec.decodeValue(value),
          old == null ? null : (V) codec.decodeValue(old));
    } catch (java.io.IOException | RuntimeException e) {
      // A message this JVM cannot read (another version, class drift): dropped, as pub/sub may drop it too.
    }
  }

  /** Redis expired one of this cache's entries (a keyspace notification). */
  @SuppressWarnings("unchecked")
  void expiredInRedis(byte[] redisKey) {
    if (closed || !events.hasListeners()) {
      return;
    }
    byte[] k = store.layout().encodedKeyOf(redisKey);
    if (k == null) {
      return;
    }
    try {
      events.expired((K) codec.decodeKey(k));
    } catch (CodecException e) {
      // a key this JVM cannot decode: no event
    }
  }

  private static byte[] readBytes(java.io.DataInputStream in) throws java.io.IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] data = new byte[length];
    in.readFully(data);
    return data;
  }

  // ------------------------------------------------------------------------------------------- entries

  private enum Operation { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

  /** The entry an EntryProcessor sees; records what it did. Confined to one invocation. */
  private final class ProcessedEntry implements MutableEntry<K, V> {
    final K key;
    final boolean existed;
    V value;
    Operation operation = Operation.NONE;
    boolean removedAbsent;
    private boolean loadTried;

    ProcessedEntry(K key, V value) {
      this.key = key;
      this.value = value;
      this.existed = value != null;
    }

    @Override
    public boolean exists() {
      return value != null;
    }

    @Override
    public void remove() {
      boolean createdHere = operation == Operation.CREATE || operation == Operation.LOAD;
      removedAbsent = !existed && !createdHere;
      operation = createdHere ? Operation.NONE : (existed ? Operation.REMOVE : Operation.NONE);
      value = null;
    }

    @Override
    public void setValue(V newValue) {
      requireNonNull(newValue, "value");
      checkValueType(newValue);
      operation = existed ? Operation.UPDATE : Operation.CREATE;
      value = newValue;
    }

    @Override
    public K getKey() {
      return key;
    }

    @Override
    public V getValue() {
      if (operation == Operation.NONE && value != null) {
        operation = Operation.ACCESS;
      } else if (operation == Operation.NONE && value == null && readThrough && !loadTried) {
        loadTried = true;
        V loaded = loader.load(key);
        if (loaded != null) {
          checkValueType(loaded);
          value = loaded;
          operation = Operation.LOAD;
        }
      }
      return value;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
      if (clazz.isInstance(this)) {
        return clazz.cast(this);
      }
      throw new IllegalArgumentException("a processed entry cannot be unwrapped to " + clazz.getName());
    }
  }
}
