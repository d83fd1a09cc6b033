package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.codec.Codec;
import dev.slotcache.codec.CodecException;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.expiry.ExpiryDecisions;
import dev.slotcache.store.Record;
import dev.slotcache.store.SegmentStore;
import dev.slotcache.store.SegmentStore.Conditional;
import dev.slotcache.store.SegmentStore.Outcome;
import dev.slotcache.store.StoreException;
import dev.slotcache.store.Ttl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
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
 * knows nothing of Redis commands (see {@link SegmentStore}) or of serialization (see {@link Codec}).
 *
 * <p>Round trips: one per single-key operation; conditional operations by value compare in one script;
 * {@code invoke} reads, runs the processor here, and commits with a compare-and-set on the entry's stamp,
 * retrying on conflict. With an expiry policy other than the five of {@code javax.cache.expiry}, operations
 * whose TTL depends on whether the entry exists first ask Redis, because the policy may only be called for the
 * case that applies.
 *
 * <p>Thread-safe.
 */
final class SlotcacheCache<K, V> implements Cache<K, V> {

  private final String name;
  private final SlotcacheCacheManager manager;
  private final SlotcacheConfiguration<K, V> configuration;
  private final SegmentStore store;
  private final Codec codec;
  private final ExpiryDecisions expiry;
  private final int maxValueBytes;
  private final int invokeRetries;
  private final Class<?> keyType;
  private final Class<?> valueType;
  private volatile boolean closed;

  SlotcacheCache(String name, SlotcacheCacheManager manager, SlotcacheConfiguration<K, V> configuration,
      SegmentStore store, Codec codec, int maxValueBytes, int invokeRetries) {
    this.name = requireNonNull(name, "name");
    this.manager = requireNonNull(manager, "manager");
    this.configuration = new SlotcacheConfiguration<>(requireNonNull(configuration, "configuration"));
    this.store = requireNonNull(store, "store");
    this.codec = requireNonNull(codec, "codec");
    this.maxValueBytes = maxValueBytes;
    this.invokeRetries = invokeRetries;
    this.expiry = new ExpiryDecisions(this.configuration.getExpiryPolicyFactory().create(),
        this.configuration.getTtlJitterPercent(), this.configuration.getMaxTtl());
    this.keyType = this.configuration.getKeyType() == Object.class ? null : this.configuration.getKeyType();
    this.valueType = this.configuration.getValueType() == Object.class ? null : this.configuration.getValueType();
  }

  /** Fails, before anything is recorded in the cluster, for features this version does not have. */
  static void rejectUnsupported(String name, CompleteConfiguration<?, ?> config) {
    if (config.getCacheEntryListenerConfigurations().iterator().hasNext()) {
      throw new UnsupportedOperationException("cache '" + name + "': entry listeners are not supported yet");
    }
    if (config.isReadThrough() || config.isWriteThrough()) {
      throw new UnsupportedOperationException("cache '" + name + "': read-through and write-through are not "
          + "supported yet");
    }
  }

  /** The immutable effective configuration. */
  CompleteConfiguration<K, V> configuration() {
    return configuration;
  }

  // ------------------------------------------------------------------------------------------- reads

  @Override
  public V get(K key) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record;
    if (expiry.isPure() && expiry.accessMayChangeTtl()) {
      long ttl = expiry.access();
      record = ttl == Ttl.KEEP ? store.get(k) : store.getAndExpire(k, ttl);
      return decode(k, record);
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
    List<K> keyList = new ArrayList<>(keys.size());
    List<byte[]> encoded = new ArrayList<>(keys.size());
    for (K key : keys) {
      keyList.add(key);
      encoded.add(encodeKey(key));
    }
    List<byte[]> records;
    boolean accessPerHit = !expiry.isPure();
    if (expiry.isPure() && expiry.accessMayChangeTtl()) {
      long ttl = expiry.access();
      records = ttl == Ttl.KEEP ? store.getAll(encoded) : store.getAllAndExpire(encoded, ttl);
    } else {
      records = store.getAll(encoded);
    }
    Map<K, V> result = new LinkedHashMap<>();
    for (int i = 0; i < keyList.size(); i++) {
      V value = decode(encoded.get(i), records.get(i));
      if (value != null) {
        result.put(keyList.get(i), value);
        if (accessPerHit) {
          store.expire(encoded.get(i), expiry.access());
        }
      }
    }
    return result;
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
    write(encodeKey(key), encodeRecord(key, value), false);
  }

  @Override
  public V getAndPut(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    return decode(k, write(k, encodeRecord(key, value), true));
  }

  /** An unconditional write with the creation or update TTL, whichever applies. */
  private byte[] write(byte[] k, byte[] record, boolean returnOld) {
    if (expiry.isPure()) {
      return store.put(k, record, expiry.creation(), expiry.update(), returnOld);
    }
    if (store.exists(k)) {
      long ttl = expiry.update();
      return store.put(k, record, ttl == Ttl.KEEP ? Ttl.PERSIST : ttl, ttl, returnOld);
    }
    long ttl = expiry.creation();
    return store.put(k, record, ttl, ttl, returnOld);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    requireNotClosed();
    requireNonNull(map, "map");
    List<byte[]> keys = new ArrayList<>(map.size());
    List<byte[]> records = new ArrayList<>(map.size());
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      K key = entry.getKey();
      V value = entry.getValue();
      requireNonNull(key, "a key in the map is null");
      requireNonNull(value, "a value in the map is null");
      checkTypes(key, value);
    }
    for (Map.Entry<? extends K, ? extends V> entry : map.entrySet()) {
      keys.add(encodeKey(entry.getKey()));
      records.add(encodeRecord(entry.getKey(), entry.getValue()));
    }
    if (expiry.isPure()) {
      store.putAll(keys, records, expiry.creation(), expiry.update());
      return;
    }
    // A custom policy may be asked only the question that applies: find out which entries exist first.
    List<byte[]> current = store.getAll(keys);
    Map<List<Long>, List<Integer>> byTtl = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      long ttl;
      if (current.get(i) != null) {
        ttl = expiry.update();
        byTtl.computeIfAbsent(List.of(ttl == Ttl.KEEP ? Ttl.PERSIST : ttl, ttl), t -> new ArrayList<>()).add(i);
      } else {
        ttl = expiry.creation();
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
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    if (!expiry.isPure() && store.exists(k)) {
      return false;
    }
    return store.putIfAbsent(k, record, expiry.creation());
  }

  @Override
  public boolean remove(K key) {
    requireNotClosed();
    return store.remove(encodeKey(key), false) != null;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    requireNonNull(oldValue, "oldValue");
    checkValueType(oldValue);
    return replaceIfEqual(k, oldValue, null);
  }

  @Override
  public V getAndRemove(K key) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    return decode(k, store.remove(k, true));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    requireNonNull(oldValue, "oldValue");
    checkValueType(oldValue);
    byte[] record = encodeRecord(key, newValue);
    return replaceIfEqual(k, oldValue, record);
  }

  /**
   * Replaces (or removes, when {@code record} is null) the entry while its value equals {@code expected}.
   * One script compares the encoded bytes; when they differ but the values are {@code equals} (an encoding
   * that is not canonical, such as a HashMap value) it falls back to compare-and-set on the entry's stamp.
   */
  private boolean replaceIfEqual(byte[] k, V expected, byte[] record) {
    byte[] expectedPayload = encodePayload(expected);
    if (!expiry.isPure()) {
      return replaceIfEqualByStamp(k, expected, record);
    }
    long ttl = record == null ? Ttl.EXPIRE_NOW : expiry.update();
    long mismatchTtl = expiry.accessMayChangeTtl() ? expiry.access() : Ttl.KEEP;
    Conditional result = store.replaceIfEqual(k, expectedPayload, record, ttl, mismatchTtl);
    if (result.outcome() != Outcome.MISMATCH) {
      return result.outcome() == Outcome.APPLIED;
    }
    V current = decode(k, result.current());
    if (current == null || !current.equals(expected)) {
      return false;
    }
    return replaceIfEqualByStamp(k, expected, record);
  }

  private boolean replaceIfEqualByStamp(byte[] k, V expected, byte[] record) {
    for (int attempt = 0; attempt <= invokeRetries; attempt++) {
      backOff(attempt);
      byte[] currentRecord = store.get(k);
      V current = decode(k, currentRecord);
      if (current == null) {
        return false;
      }
      if (!current.equals(expected)) {
        store.expire(k, expiry.access());
        return false;
      }
      long ttl = record == null ? Ttl.EXPIRE_NOW : expiry.update();
      if (store.compareAndSet(k, Record.header(currentRecord), record, ttl)) {
        return true;
      }
    }
    throw contended(k);
  }

  @Override
  public boolean replace(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    if (!expiry.isPure() && !store.exists(k)) {
      return false;
    }
    return store.replace(k, record, expiry.update(), false) != null;
  }

  @Override
  public V getAndReplace(K key, V value) {
    requireNotClosed();
    byte[] k = encodeKey(key);
    byte[] record = encodeRecord(key, value);
    if (!expiry.isPure() && !store.exists(k)) {
      return null;
    }
    return decode(k, store.replace(k, record, expiry.update(), true));
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    requireNotClosed();
    requireNonNull(keys, "keys");
    List<byte[]> encoded = new ArrayList<>(keys.size());
    for (K key : keys) {
      encoded.add(encodeKey(key));
    }
    store.removeAll(encoded);
  }

  @Override
  public void removeAll() {
    requireNotClosed();
    store.clear();
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
    byte[] pending = null;
    T pendingResult = null;
    for (int attempt = 0; attempt <= invokeRetries; attempt++) {
      backOff(attempt);
      try (SegmentStore.Watched watched = store.watch(k)) {
        byte[] record = watched.value();
        if (pending != null && record != null && Arrays.equals(Record.header(record), Record.header(pending))) {
          // The previous attempt was applied although its reply was lost: do not apply it twice.
          return pendingResult;
        }
        V current = decode(k, record);
        ProcessedEntry entry = new ProcessedEntry(key, current);
        T result = process(entryProcessor, entry, arguments);
        Commit commit = commitOf(k, entry, current == null ? null : record);
        if (commit == null) {
          return result;
        }
        try {
          if (watched.commit(commit.record, commit.ttl)) {
            return result;
          }
          pending = null;
        } catch (StoreException e) {
          if (!e.outcomeUnknown() || commit.record == null) {
            throw e;
          }
          pending = commit.record;
          pendingResult = result;
        }
      }
    }
    throw contended(k);
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
        try {
          putResult(results, key, invoke(key, entryProcessor, arguments));
        } catch (EntryProcessorException e) {
          results.put(key, () -> {
            throw e;
          });
        }
      }
    }
    return results;
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
    // No loader can be configured yet (see rejectUnsupported), so there is nothing to load.
    if (completionListener != null) {
      completionListener.onCompletion();
    }
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    requireNonNull(clazz, "clazz");
    SlotcacheConfiguration<K, V> copy = new SlotcacheConfiguration<>(configuration);
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
    throw new UnsupportedOperationException("cache '" + name + "': entry listeners are not supported yet");
  }

  @Override
  public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    requireNotClosed();
    requireNonNull(cacheEntryListenerConfiguration, "cacheEntryListenerConfiguration");
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

  /** Closes this handle; the data stays in Redis. */
  void closeInternal() {
    closed = true;
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
      List<byte[]> records = expiry.isPure() && expiry.accessMayChangeTtl() && expiry.access() != Ttl.KEEP
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
      }
      return entries.iterator();
    }
  }

  // ------------------------------------------------------------------------------------------- helpers

  private byte[] encodeKey(K key) {
    requireNonNull(key, "key");
    if (keyType != null && !keyType.isInstance(key)) {
      throw new ClassCastException("cache '" + name + "' has key type " + keyType.getName() + ", not "
          + key.getClass().getName());
    }
    try {
      return codec.encodeKey(key);
    } catch (CodecException e) {
      throw new CacheException("cache '" + name + "': " + e.getMessage(), e);
    }
  }

  private void checkTypes(K key, V value) {
    if (keyType != null && !keyType.isInstance(key)) {
      throw new ClassCastException("cache '" + name + "' has key type " + keyType.getName() + ", not "
          + key.getClass().getName());
    }
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
   * still the same bytes, so a concurrent good write is never lost.
   */
  @SuppressWarnings("unchecked")
  private V decode(byte[] k, byte[] record) {
    if (record == null || record == SegmentStore.PRESENT) {
      return null;
    }
    if (Record.isRecord(record)) {
      try {
        Object value = codec.decodeValue(record, Record.HEADER_LENGTH);
        if (valueType == null || valueType.isInstance(value)) {
          return (V) value;
        }
      } catch (CodecException e) {
        // fall through: treated as a miss
      }
    }
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
    return "SlotcacheCache[" + name + " in " + manager.getURI() + "]";
  }

  // ------------------------------------------------------------------------------------------- entries

  private enum Operation { NONE, ACCESS, CREATE, UPDATE, REMOVE }

  /** The entry an EntryProcessor sees; records what it did. Confined to one invocation. */
  private final class ProcessedEntry implements MutableEntry<K, V> {
    final K key;
    final boolean existed;
    V value;
    Operation operation = Operation.NONE;

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
      operation = (operation == Operation.CREATE) ? Operation.NONE : (existed ? Operation.REMOVE : Operation.NONE);
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
