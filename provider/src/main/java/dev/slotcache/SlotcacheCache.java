package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.event.EventDispatcher;
import dev.slotcache.internal.event.EventMessages;
import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.integration.ReadThrough;
import dev.slotcache.internal.integration.WriteThrough;
import dev.slotcache.internal.Unwrapping;
import dev.slotcache.internal.UserResources;
import dev.slotcache.internal.management.CacheMBeans;
import dev.slotcache.internal.management.CacheStatistics;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.CacheStore.Outcome;
import dev.slotcache.internal.store.Ttl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.event.EventType;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JCache {@link Cache} whose entries live in a Redis Cluster. This class carries the JCache semantics and
 * nothing else: Redis commands are the store's ({@link CacheStore}), encoding is {@link EntryValues}', and
 * what depends on the configuration — how TTLs are chosen ({@link ReadPath}, {@link TtlWrites}), how conditional
 * writes check ({@link ConditionalWrites}), the writer (a disabled one when there is none), read-through (the
 * subclass {@link LoadingSlotcacheCache}) — was chosen once by {@link CacheFactory}.
 *
 * <p>Round trips: one per single-key operation; conditional operations by value compare in one script;
 * {@code invoke} is {@link Invocations}'. With an expiry policy other than the five of {@code javax.cache.expiry},
 * operations whose TTL depends on whether the entry exists first ask Redis, because the policy may only be called
 * for the case that applies.
 *
 * <p>Listeners, the writer and statistics see this JVM's operations: an operation fetches the old value only
 * when a listener needs it. The writer runs before the cache changes, so a failing writer leaves it unchanged.
 *
 * <p>Thread-safe.
 */
class SlotcacheCache<K, V> implements Cache<K, V> {

  private static final int SEGMENTS_PER_LISTING = 64;

  final String name;
  private final CacheOwner owner;
  private final SlotcacheConfiguration<K, V> configuration;
  final CacheStore store;
  final EntryValues<K, V> values;
  private final ExpiryPolicy expiryPolicy;
  final ExpiryDecisions expiry;
  private final ReadPath reads;
  private final TtlWrites writes;
  private final ConditionalWrites<K, V> conditionals;
  private final WriteThrough<K, V> writer;
  final ReadThrough<K, V> loader;
  final EventDispatcher<K, V> events;
  final CacheStatistics statistics;
  private final CacheMBeans mbeans;
  private final Invocations<K, V> invocations;
  final SingleFlight<V> flights;
  private final WriteSections sections;
  private final Runnable removeEveryEntry;
  private volatile ExecutorService loads;
  private volatile boolean closed;

  SlotcacheCache(CacheParts<K, V> parts) {
    this.name = requireNonNull(parts.name(), "name");
    this.owner = requireNonNull(parts.owner(), "owner");
    this.configuration = requireNonNull(parts.configuration(), "configuration");
    this.store = requireNonNull(parts.store(), "store");
    this.values = requireNonNull(parts.values(), "values");
    this.expiryPolicy = requireNonNull(parts.expiryPolicy(), "expiryPolicy");
    this.expiry = requireNonNull(parts.expiry(), "expiry");
    this.reads = requireNonNull(parts.reads(), "reads");
    this.writes = requireNonNull(parts.writes(), "writes");
    this.conditionals = requireNonNull(parts.conditionals(), "conditionals");
    this.writer = requireNonNull(parts.writer(), "writer");
    this.loader = parts.loader();
    this.events = requireNonNull(parts.events(), "events");
    this.statistics = requireNonNull(parts.statistics(), "statistics");
    this.mbeans = requireNonNull(parts.mbeans(), "mbeans");
    this.invocations = requireNonNull(parts.invocations(), "invocations");
    this.flights = requireNonNull(parts.flights(), "flights");
    // With a writer, every removed key must reach it; without one a bulk removal can clear slot by slot.
    this.removeEveryEntry = parts.writesThrough() ? this::removeEveryKey : this::clearUnlessObserved;
    this.sections = requireNonNull(parts.sections(), "sections");
    events.bind(this);
    for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
      events.register(listener);
    }
    if (events.hasListeners()) {
      owner.clusterEvents().listening(name, true);
    }
    try {
      setStatisticsEnabled(configuration.isStatisticsEnabled());
      setManagementEnabled(configuration.isManagementEnabled());
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
      mbeans.statistics(enabled);
    }
  }

  /** Turns management on or off, registering or unregistering the configuration MXBean. */
  void setManagementEnabled(boolean enabled) {
    synchronized (configuration) {
      configuration.setManagementEnabled(enabled);
      mbeans.management(enabled);
    }
  }

  /** The effective configuration (a copy). */
  SlotcacheConfiguration<K, V> configuration() {
    synchronized (configuration) {
      return new SlotcacheConfiguration<>(configuration);
    }
  }

  /** The Redis key of an entry. */
  byte[] redisKeyOf(K key) {
    return store.layout().redisKey(values.encodeKey(key));
  }

  /** This JVM's statistics of the cache (counting only while enabled). */
  CacheStatistics statistics() {
    return statistics;
  }

  // ------------------------------------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireNotClosed();
    long start = statistics.start();
    V value = held(key);
    if (value == null) {
      byte[] k = values.encodeKey(key);
      value = read(k);
      if (value == null) {
        statistics.misses(1);
        value = missed(key, k);
        statistics.getTime(start);
        return value;
      }
    }
    statistics.hits(1);
    statistics.getTime(start);
    return value;
  }

  /** What this JVM holds in memory for {@code key} (with a near cache), or null. */
  @SuppressWarnings("unchecked")
  private V held(K key) {
    return (V) reads.held(key);
  }

  /** The value under k, applying the access TTL on a hit. */
  V read(byte[] k) {
    V value = values.decode(k, reads.read(k));
    if (value != null) {
      reads.hit(k);
    }
    return value;
  }

  /** The values under {@code ks} (null where none), applying the access TTL on each hit. */
  private List<V> readAll(List<byte[]> ks) {
    List<byte[]> records = ks.isEmpty() ? List.of() : reads.readAll(ks);
    List<V> found = new ArrayList<>(ks.size());
    for (int i = 0; i < ks.size(); i++) {
      V value = values.decode(ks.get(i), records.get(i));
      if (value != null) {
        reads.hit(ks.get(i));
      }
      found.add(value);
    }
    return found;
  }

  /** What a {@code get} returns for a missing key: nothing here; read-through loads it. */
  V missed(K key, byte[] k) {
    return null;
  }

  /** What a {@code getAll} adds for its missing keys: nothing here; read-through loads them. */
  void missedAll(List<K> missing, Map<K, V> result) {
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    long start = statistics.start();
    try {
      Map<K, V> result = new LinkedHashMap<>();
      List<K> keyList = new ArrayList<>(keys.size());
      List<byte[]> encoded = new ArrayList<>(keys.size());
      for (K key : keys) {
        byte[] k = values.encodeKey(key);
        V held = held(key);
        if (held != null) {
          result.put(key, held);
        } else {
          keyList.add(key);
          encoded.add(k);
        }
      }
      List<V> found = readAll(encoded);
      List<K> missing = new ArrayList<>();
      for (int i = 0; i < keyList.size(); i++) {
        V value = found.get(i);
        if (value == null) {
          missing.add(keyList.get(i));
          continue;
        }
        result.put(keyList.get(i), value);
      }
      statistics.hits(result.size());
      statistics.misses(missing.size());
      if (!missing.isEmpty()) {
        missedAll(missing, result);
      }
      return result;
    } finally {
      statistics.getTime(start);
    }
  }

  /**
   * Loads {@code missing} once across every JVM sharing the cache ({@link SingleFlight#loadAll}): one
   * {@code loadAll} for the keys whose leases this call holds, the stored value for each key another call loaded.
   * The values stored, in the order of {@code missing} (null where the loader gave none).
   */
  final List<V> loadOnce(List<K> missing) {
    List<byte[]> ks = encodeKeys(missing);
    return flights.loadAll(ks, at -> {
      List<byte[]> keys = SingleFlight.positions(ks, at);
      List<byte[]> records = store.getAll(keys);
      List<V> found = new ArrayList<>(at.size());
      for (int j = 0; j < at.size(); j++) {
        found.add(values.decode(keys.get(j), records.get(j)));
      }
      return found;
    }, at -> {
      List<K> keys = SingleFlight.positions(missing, at);
      Map<K, V> loaded = loader.loadAll(keys);
      List<V> found = new ArrayList<>(at.size());
      for (K key : keys) {
        found.add(loaded == null ? null : loaded.get(key));
      }
      return storeAllLoaded(keys, SingleFlight.positions(ks, at), found);
    });
  }

  /**
   * Stores loaded values (null: none) as creations, one pipeline per master; what is stored for each key then (the
   * value another caller stored first, where one did).
   */
  private List<V> storeAllLoaded(List<K> keys, List<byte[]> ks, List<V> loaded) {
    List<V> stored = new ArrayList<>(loaded);
    List<Integer> at = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    long[] ttls = new long[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      V value = loaded.get(i);
      if (value == null) {
        continue;
      }
      values.checkValue(value);
      long ttl = expiry.creation();
      if (ttl == Ttl.EXPIRE_NOW) {
        continue; // created and expired at once: returned, neither stored nor announced
      }
      ttls[at.size()] = ttl;
      at.add(i);
      records.add(values.encodeRecord(keys.get(i), value));
    }
    List<byte[]> batch = SingleFlight.positions(ks, at);
    boolean[] created = batch.isEmpty() ? new boolean[0]
        : store.putIfAbsentAll(batch, records, Arrays.copyOf(ttls, at.size()));
    List<Integer> first = new ArrayList<>();
    for (int j = 0; j < at.size(); j++) {
      if (created[j]) {
        events.created(keys.get(at.get(j)), loaded.get(at.get(j)));
      } else {
        first.add(at.get(j));
      }
    }
    if (!first.isEmpty()) { // someone stored one first: every caller gets the stored value
      List<byte[]> firstKeys = SingleFlight.positions(ks, first);
      List<byte[]> firstRecords = store.getAll(firstKeys);
      for (int j = 0; j < first.size(); j++) {
        V other = values.decode(firstKeys.get(j), firstRecords.get(j));
        if (other != null) {
          stored.set(first.get(j), other);
        }
      }
    }
    return stored;
  }

  /**
   * Stores a loaded value as a creation (the writer is not called for loads); with the key's load {@code lease}
   * (null: none) given back by the same command.
   */
  V storeLoaded(K key, byte[] k, V value, SingleFlight<V>.Held lease) {
    values.checkValue(value);
    long creation = expiry.creation();
    byte[] record = values.encodeRecord(key, value);
    boolean created;
    if (lease == null) {
      created = store.putIfAbsent(k, record, creation);
    } else {
      created = store.putIfAbsentReleasing(k, record, creation, lease.token());
      lease.givenBack();
    }
    if (created) {
      if (creation != Ttl.EXPIRE_NOW) {
        events.created(key, value);
      }
      return value;
    }
    V stored = read(k); // someone stored one first: every caller gets the stored value
    return stored != null ? stored : value;
  }

  @Override
  public boolean containsKey(K key) {
    requireNotClosed();
    return store.exists(values.encodeKey(key));
  }

  // ------------------------------------------------------------------------------------------- writes

  @Override
  public void put(K key, V value) {
    boolean needOld = events.listensTo(EventType.CREATED) || events.listensTo(EventType.UPDATED);
    long start = statistics.start();
    TtlWrites.Written written = writeThrough(key, value, needOld);
    if (written.stored()) {
      statistics.puts(1);
      if (needOld) {
        fireWritten(key, value, values.decodeQuietly(written.old()));
      }
    }
    statistics.putTime(start);
  }

  @Override
  public V getAndPut(K key, V value) {
    long start = statistics.start();
    TtlWrites.Written written = writeThrough(key, value, true);
    V old = values.decodeQuietly(written.old());
    countRead(old != null);
    if (written.stored()) {
      statistics.puts(1);
      fireWritten(key, value, old);
    }
    statistics.getTime(start);
    statistics.putTime(start);
    return old;
  }

  /** An unconditional write: the checks and encoding first, then the writer, then the store. */
  private TtlWrites.Written writeThrough(K key, V value, boolean returnOld) {
    requireNotClosed();
    byte[] k = values.encodeKey(key);
    byte[] record = values.encodeRecord(key, value);
    return sections.run(k, () -> {
      writer.write(key, value);
      return writes.write(k, record, returnOld);
    });
  }

  private void fireWritten(K key, V value, V old) {
    if (old == null) {
      events.created(key, value);
    } else {
      events.updated(key, value, old);
    }
  }

  private void countRead(boolean hit) {
    if (hit) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
    }
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireNotClosed();
    requireNonNull(map, "map");
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      requireNonNull(entry.getKey(), "a key in the map is null");
      requireNonNull(entry.getValue(), "a value in the map is null");
      values.checkKey(entry.getKey());
      values.checkValue(entry.getValue());
    }
    long start = statistics.start();
    sections.runAll(() -> encodeKeys(map.keySet()), () -> {
      putThrough(map);
      return null;
    });
    statistics.putTime(start);
  }

  /** putAll's writer and store part: the writer's batch, then what it wrote, with statistics and events. */
  private void putThrough(Map<? extends K, ? extends V> map) {
    WriteThrough.Batch<K> batch = writer.writeAll(map);
    Map<K, V> toStore = WriteThrough.only(map, batch.done());
    List<K> keyList = new ArrayList<>(toStore.size());
    List<V> valueList = new ArrayList<>(toStore.size());
    List<byte[]> keys = new ArrayList<>(toStore.size());
    List<byte[]> records = new ArrayList<>(toStore.size());
    for (Map.Entry<K, V> entry : toStore.entrySet()) {
      keyList.add(entry.getKey());
      valueList.add(entry.getValue());
      keys.add(values.encodeKey(entry.getKey()));
      records.add(values.encodeRecord(entry.getKey(), entry.getValue()));
    }
    boolean needOld = writes.needsOldRecords() || events.listensTo(EventType.CREATED)
        || events.listensTo(EventType.UPDATED);
    List<byte[]> olds = needOld ? store.getAll(keys) : null;
    boolean[] stored = writes.storeAll(keys, records, olds);
    for (int i = 0; i < keyList.size(); i++) {
      if (stored[i]) {
        statistics.puts(1);
        if (olds != null) {
          fireWritten(keyList.get(i), valueList.get(i), values.decodeQuietly(olds.get(i)));
        }
      }
    }
    if (batch.failure() != null) {
      throw batch.failure();
    }
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireNotClosed();
    byte[] k = values.encodeKey(key);
    byte[] record = values.encodeRecord(key, value);
    long start = statistics.start();
    ConditionalWrites.Created created = sections.run(k, () -> conditionals.putIfAbsent(key, value, k, record));
    countRead(!created.applied());
    if (created.applied() && created.ttl() != Ttl.EXPIRE_NOW) {
      statistics.puts(1);
      events.created(key, value);
    }
    if (created.applied()) {
      statistics.putTime(start);
    }
    return created.applied();
  }

  @Override
  public boolean remove(K key) {
    long start = statistics.start();
    boolean needOld = events.listensTo(EventType.REMOVED);
    byte[] old = deleteThrough(key, needOld);
    if (old != null) {
      statistics.removals(1);
      statistics.removeTime(start);
      fireRemoved(key, needOld ? values.decodeQuietly(old) : null);
    }
    return old != null;
  }

  /** A removal by key: the checks and encoding first, then the writer, then the store; the old record if asked. */
  private byte[] deleteThrough(K key, boolean returnOld) {
    requireNotClosed();
    byte[] k = values.encodeKey(key);
    return sections.run(k, () -> {
      writer.delete(key);
      return store.remove(k, returnOld);
    });
  }

  private void fireRemoved(K key, V old) {
    if (old != null) {
      events.removed(key, old);
    }
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return replaceIfEqual(key, oldValue, null, false);
  }

  @Override
  public V getAndRemove(K key) {
    long start = statistics.start();
    V old = values.decodeQuietly(deleteThrough(key, true));
    countRead(old != null);
    if (old != null) {
      statistics.removals(1);
      statistics.removeTime(start);
      events.removed(key, old);
    }
    statistics.getTime(start);
    return old;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return replaceIfEqual(key, oldValue, newValue, true);
  }

  /**
   * {@code replace(key, oldValue, newValue)}, or {@code remove(key, oldValue)} when not {@code replacing}: applies
   * only while the entry equals {@code oldValue}, with the statistics and the event of a replacement or a removal.
   */
  private boolean replaceIfEqual(K key, V oldValue, V newValue, boolean replacing) {
    requireNotClosed();
    byte[] k = values.encodeKey(key);
    requireNonNull(oldValue, "oldValue");
    values.checkValue(oldValue);
    byte[] record = replacing ? values.encodeRecord(key, newValue) : null;
    long start = statistics.start();
    Outcome outcome = sections.run(k, () -> conditionals.replaceIfEqual(key, k, oldValue, newValue, record));
    countRead(outcome != Outcome.ABSENT);
    if (outcome != Outcome.APPLIED) {
      return false;
    }
    if (replacing) {
      statistics.puts(1);
      statistics.putTime(start);
      events.updated(key, newValue, oldValue);
    } else {
      statistics.removals(1);
      statistics.removeTime(start);
      events.removed(key, oldValue);
    }
    return true;
  }

  @Override
  public boolean replace(K key, V value) {
    return replaceAndTell(key, value, false).replaced();
  }

  @Override
  public V getAndReplace(K key, V value) {
    return replaceAndTell(key, value, true).previous();
  }

  /** What a replace of a present entry found: whether it replaced, and the old value when it was asked for. */
  private record Replaced<V>(boolean replaced, V previous) {
  }

  /**
   * Replaces a present entry, with the statistics and the UPDATED event the spec asks for. For {@code getAndReplace}
   * ({@code returnOld}) an old value that cannot be read counts as absent, as its caller cannot be given one.
   */
  private Replaced<V> replaceAndTell(K key, V value, boolean returnOld) {
    requireNotClosed();
    byte[] k = values.encodeKey(key);
    byte[] record = values.encodeRecord(key, value);
    long start = statistics.start();
    boolean needOld = returnOld || events.listensTo(EventType.UPDATED);
    byte[] old = sections.run(k, () -> conditionals.replace(key, value, k, record, needOld));
    V previous = needOld ? values.decodeQuietly(old) : null;
    if (old == null || returnOld && previous == null) {
      statistics.misses(1);
      return new Replaced<>(false, null);
    }
    statistics.hits(1);
    statistics.puts(1);
    if (returnOld) {
      statistics.getTime(start);
    }
    statistics.putTime(start);
    if (previous != null) {
      events.updated(key, value, previous);
    }
    return new Replaced<>(true, previous);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    for (K key : keys) {
      values.checkKey(key);
    }
    removeKeys(keys);
  }

  private void removeKeys(Collection<? extends K> keys) {
    long start = statistics.start();
    sections.runAll(() -> encodeKeys(keys), () -> {
      removeThrough(keys);
      return null;
    });
    statistics.removeTime(start);
  }

  private List<byte[]> encodeKeys(Collection<? extends K> keys) {
    List<byte[]> encoded = new ArrayList<>(keys.size());
    for (K key : keys) {
      encoded.add(values.encodeKey(key));
    }
    return encoded;
  }

  /** removeAll's writer and store part: the writer's batch, then what it deleted, with statistics and events. */
  private void removeThrough(Collection<? extends K> keys) {
    WriteThrough.Batch<K> batch = writer.deleteAll(keys);
    List<K> keyList = new ArrayList<>(WriteThrough.only(keys, batch.done()));
    List<byte[]> encoded = encodeKeys(keyList);
    boolean needOld = events.listensTo(EventType.REMOVED);
    List<byte[]> olds = needOld ? store.getAll(encoded) : null;
    statistics.removals(store.removeAll(encoded));
    if (needOld) {
      for (int i = 0; i < keyList.size(); i++) {
        fireRemoved(keyList.get(i), values.decodeQuietly(olds.get(i)));
      }
    }
    if (batch.failure() != null) {
      throw batch.failure();
    }
  }

  @Override
  public void removeAll() {
    requireNotClosed();
    removeEveryEntry.run();
  }

  /** removeAll() without a writer: slot by slot, unless listeners or statistics must see each entry. */
  private void clearUnlessObserved() {
    if (events.listensTo(EventType.REMOVED) || statistics.isEnabled()) {
      removeEveryKey();
    } else {
      store.clear();
    }
  }

  /** removeAll() entry by entry, as if {@code removeAll(keys)} were called with every key. */
  private void removeEveryKey() {
    List<K> all = new ArrayList<>();
    for (int from = 0; from < store.layout().segments(); from += SEGMENTS_PER_LISTING) {
      int count = Math.min(SEGMENTS_PER_LISTING, store.layout().segments() - from);
      for (List<byte[]> segmentKeys : store.keysOfSegments(from, count)) {
        for (byte[] k : segmentKeys) {
          try {
            all.add(values.decodeKey(k));
          } catch (RuntimeException e) {
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
    byte[] k = values.encodeKey(key);
    requireNonNull(entryProcessor, "entryProcessor");
    return invocations.invoke(key, k, entryProcessor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    requireNonNull(entryProcessor, "entryProcessor");
    List<K> keyList = new ArrayList<>(keys);
    List<byte[]> encoded = encodeKeys(keyList);
    return invocations.invokeAll(keyList, encoded, entryProcessor, arguments);
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
        if (replaceExistingValues) {
          Map<K, V> loaded = loader.loadAll(keyList);
          for (K key : keyList) {
            V value = loaded == null ? null : loaded.get(key);
            if (value != null) {
              storeReloaded(key, value);
            }
          }
        } else {
          loadOnce(absent(keyList)); // a key stored meanwhile, or loaded by another caller, is not loaded again
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

  /** The keys of {@code keys} that are not stored (one batched read). */
  private List<K> absent(List<K> keys) {
    List<byte[]> ks = encodeKeys(keys);
    List<byte[]> records = store.getAll(ks);
    List<K> absent = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (records.get(i) == null) {
        absent.add(keys.get(i));
      }
    }
    return absent;
  }

  /** A value loadAll loaded to replace what is there. */
  private void storeReloaded(K key, V value) {
    byte[] k = values.encodeKey(key);
    byte[] record = values.encodeRecord(key, value);
    TtlWrites.Written written = sections.run(k, () -> writes.write(k, record, true));
    if (written.stored()) {
      fireWritten(key, value, values.decodeQuietly(written.old()));
    }
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
    SlotcacheConfiguration<K, V> copy = configuration();
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
    owner.clusterEvents().listening(name, true);
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    requireNotClosed();
    requireNonNull(cacheEntryListenerConfiguration, "cacheEntryListenerConfiguration");
    synchronized (configuration) {
      events.deregister(cacheEntryListenerConfiguration);
      configuration.removeCacheEntryListenerConfiguration(cacheEntryListenerConfiguration);
      if (!events.hasListeners()) {
        owner.clusterEvents().listening(name, false);
      }
    }
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public CacheManager getCacheManager() {
    return owner.manager();
  }

  @Override
  public void close() {
    if (!closed) {
      closeInternal();
      owner.released(this);
    }
  }

  /**
   * Closes this handle (listeners, threads, MXBeans, the user's loader, writer and expiry policy); the data stays
   * in Redis. A user's resource that fails to close is logged, never thrown; a bean that cannot be unregistered is
   * thrown after everything else is closed.
   */
  void closeInternal() {
    if (closed) {
      return;
    }
    closed = true;
    CacheException unregistering = mbeans.unregisterAll();
    reads.close();
    if (events.hasListeners()) {
      owner.clusterEvents().listening(name, false);
    }
    UserResources closing = new UserResources(name);
    events.close(closing);
    ExecutorService executor = loads;
    if (executor != null) {
      executor.shutdown();
    }
    closing.close("writer", writer.delegate());
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
    return Unwrapping.as(this, clazz, "cache '" + name + "'");
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    requireNotClosed();
    return new SegmentIterator<>(this);
  }

  /** Whether {@link #close()} has run: an iterator stops then. */
  boolean closed() {
    return closed;
  }

  /** Reads records for iteration, applying the access TTL as reads do. */
  List<byte[]> readForIteration(List<byte[]> keys) {
    return reads.readAll(keys);
  }

  /** After an iterator returned the entry under {@code k}: a hit (access TTL, statistics). */
  void iterated(byte[] k) {
    reads.hit(k);
    statistics.hits(1);
  }

  private void requireNotClosed() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "SlotcacheCache[" + name + " in " + owner.shownUri() + "]";
  }

  // ------------------------------------------------------------------------------------------- other JVMs

  /** Events for other JVMs, built only while another JVM listens on this cache. */
  static <K, V> EventDispatcher.RemoteSink<K, V> remoteSink(CacheOwner owner, String cacheName,
      dev.slotcache.codec.Codec codec) {
    return new EventDispatcher.RemoteSink<>() {
      @Override
      public boolean othersListen() {
        return owner.clusterEvents().othersListen(cacheName);
      }

      @Override
      public void publish(EventType type, K key, V value, V oldValue) {
        owner.clusterEvents().publish(cacheName,
            EventMessages.encode(codec, owner.nodeId(), type, key, value, oldValue));
      }
    };
  }

  /** An event another JVM published: delivered to this JVM's listeners (on the subscriber's thread). */
  @SuppressWarnings("unchecked")
  void eventFromElsewhere(byte[] message, dev.slotcache.codec.Codec codec) {
    if (closed || !events.hasListeners()) {
      return;
    }
    EventMessages.Message decoded = EventMessages.decode(codec, owner.nodeId(), message);
    if (decoded != null) {
      events.fromElsewhere(decoded.type(), (K) decoded.key(), (V) decoded.value(), (V) decoded.oldValue());
    }
  }

  /** Redis expired one of this cache's entries (a keyspace notification). */
  void expiredInRedis(byte[] redisKey) {
    if (closed || !events.hasListeners()) {
      return;
    }
    byte[] k = store.layout().encodedKeyOf(redisKey);
    if (k == null) {
      return;
    }
    try {
      events.expired(values.decodeKey(k));
    } catch (RuntimeException e) {
      // a key this JVM cannot decode: no event
    }
  }
}
