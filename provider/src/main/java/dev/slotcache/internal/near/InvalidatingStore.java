package dev.slotcache.internal.near;

import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import dev.slotcache.internal.store.Ttl;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The store of a cache with a near cache: every write (and every read that changes a TTL) voids the near cache's
 * entry for its key before it is sent and again once it returns or fails, so that this JVM reads its own writes
 * and a read that raced with the write keeps nothing. Reads pass through.
 */
public final class InvalidatingStore implements CacheStore {

  private final CacheStore store;
  private final NearTier<?, ?> near;

  public InvalidatingStore(CacheStore store, NearTier<?, ?> near) {
    this.store = Objects.requireNonNull(store, "store");
    this.near = Objects.requireNonNull(near, "near");
  }

  private <T> T writing(byte[] key, Supplier<T> write) {
    near.invalidate(key);
    try {
      return write.get();
    } finally {
      near.invalidate(key);
    }
  }

  private <T> T writingAll(List<byte[]> keys, Supplier<T> write) {
    keys.forEach(near::invalidate);
    try {
      return write.get();
    } finally {
      keys.forEach(near::invalidate);
    }
  }

  @Override
  public SegmentedKeyLayout layout() {
    return store.layout();
  }

  @Override
  public byte[] get(byte[] key) {
    return store.get(key);
  }

  @Override
  public Timed getTimed(byte[] key) {
    return store.getTimed(key);
  }

  @Override
  public byte[] getAndExpire(byte[] key, long ttl) {
    return ttl == Ttl.KEEP ? store.get(key) : writing(key, () -> store.getAndExpire(key, ttl));
  }

  @Override
  public void expire(byte[] key, long ttl) {
    if (ttl != Ttl.KEEP) {
      writing(key, () -> {
        store.expire(key, ttl);
        return null;
      });
    }
  }

  @Override
  public boolean exists(byte[] key) {
    return store.exists(key);
  }

  @Override
  public byte[] put(byte[] key, byte[] record, long creationTtl, long updateTtl, boolean returnOld) {
    return writing(key, () -> store.put(key, record, creationTtl, updateTtl, returnOld));
  }

  @Override
  public boolean putIfAbsent(byte[] key, byte[] record, long creationTtl) {
    return writing(key, () -> store.putIfAbsent(key, record, creationTtl));
  }

  @Override
  public boolean putIfAbsentReleasing(byte[] key, byte[] record, long creationTtl, byte[] leaseOwner) {
    return writing(key, () -> store.putIfAbsentReleasing(key, record, creationTtl, leaseOwner));
  }

  @Override
  public byte[] replace(byte[] key, byte[] record, long updateTtl, boolean returnOld) {
    return writing(key, () -> store.replace(key, record, updateTtl, returnOld));
  }

  @Override
  public byte[] remove(byte[] key, boolean returnOld) {
    return writing(key, () -> store.remove(key, returnOld));
  }

  @Override
  public boolean compareAndSet(byte[] key, byte[] expectedHeader, byte[] record, long ttl) {
    return writing(key, () -> store.compareAndSet(key, expectedHeader, record, ttl));
  }

  @Override
  public Watched watch(byte[] key) {
    Watched watched = store.watch(key);
    return new Watched() {
      @Override
      public byte[] value() {
        return watched.value();
      }

      @Override
      public boolean commit(byte[] record, long ttl) {
        return writing(key, () -> watched.commit(record, ttl));
      }

      @Override
      public void close() {
        watched.close();
      }
    };
  }

  @Override
  public Conditional replaceIfEqual(byte[] key, byte[] expectedPayload, byte[] record, long ttl, long mismatchTtl) {
    return writing(key, () -> store.replaceIfEqual(key, expectedPayload, record, ttl, mismatchTtl));
  }

  @Override
  public boolean deleteIfSame(byte[] key, byte[] bytes) {
    return writing(key, () -> store.deleteIfSame(key, bytes));
  }

  @Override
  public Lease lease(byte[] key, byte[] owner, long millis, boolean whileAbsent) {
    return store.lease(key, owner, millis, whileAbsent);
  }

  @Override
  public List<Lease> leaseAll(List<byte[]> keys, byte[] owner, long millis, boolean whileAbsent) {
    return store.leaseAll(keys, owner, millis, whileAbsent);
  }

  @Override
  public boolean[] putIfAbsentAll(List<byte[]> keys, List<byte[]> records, long[] creationTtls) {
    return writingAll(keys, () -> store.putIfAbsentAll(keys, records, creationTtls));
  }

  @Override
  public boolean renewLeases(List<byte[]> keys, byte[] owner, long millis) {
    return store.renewLeases(keys, owner, millis);
  }

  @Override
  public void releaseLeases(List<byte[]> keys, byte[] owner) {
    store.releaseLeases(keys, owner);
  }

  @Override
  public void releaseLease(byte[] key, byte[] owner) {
    store.releaseLease(key, owner);
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    return store.getAll(keys);
  }

  @Override
  public List<Timed> getAllTimed(List<byte[]> keys) {
    return store.getAllTimed(keys);
  }

  @Override
  public List<byte[]> getAllAndExpire(List<byte[]> keys, long ttl) {
    return ttl == Ttl.KEEP ? store.getAll(keys) : writingAll(keys, () -> store.getAllAndExpire(keys, ttl));
  }

  @Override
  public boolean[] compareAndSetAll(List<byte[]> keys, List<byte[]> expectedHeaders, List<byte[]> records,
      long[] ttls) {
    return writingAll(keys, () -> store.compareAndSetAll(keys, expectedHeaders, records, ttls));
  }

  @Override
  public void putAll(List<byte[]> keys, List<byte[]> records, long creationTtl, long updateTtl) {
    writingAll(keys, () -> {
      store.putAll(keys, records, creationTtl, updateTtl);
      return null;
    });
  }

  @Override
  public long removeAll(List<byte[]> keys) {
    return writingAll(keys, () -> store.removeAll(keys));
  }

  @Override
  public List<List<byte[]>> keysOfSegments(int from, int count) {
    return store.keysOfSegments(from, count);
  }

  @Override
  public void clear() {
    near.invalidateAll();
    try {
      store.clear();
    } finally {
      near.invalidateAll();
    }
  }
}
