package dev.slotcache.internal.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Rides out failovers, moved slots and dropped connections for the store it wraps: an operation that fails with a
 * {@linkplain StoreException#isTransient() transient} failure is tried again, after a pause of 10 ms doubling to
 * 200 ms, until it succeeds or {@code slotcache.max-retry-time} has passed since it started; then its last failure
 * is thrown. The one place where store operations are retried (Jedis' own retries for one command sit below it).
 *
 * <p>Nothing is applied twice. A failure whose {@linkplain StoreException#outcomeUnknown() outcome is unknown} (a
 * reply lost after the command was sent) is retried only for operations that a repeat cannot change: reads, the
 * {@code WATCH} that starts a transaction, {@code PEXPIRE}, a {@linkplain Ttl#isPlainOverwrite plain overwrite}
 * without the old value, and {@code DEL} (whose repeat can only report the key as absent when the lost attempt had
 * removed it). Conditional writes, the scripts, {@code SET … GET} and {@code GETDEL}, whose answer a repeat would
 * change, are retried only when they certainly were not applied. Batches that are not safe to repeat whole are
 * never retried, as part of them may have been applied elsewhere: compare-and-set batches, {@code GETDEL}
 * batches and puts whose TTL depends on what was there. A {@link Watched#commit} is not retried either: the caller
 * decides, knowing what it wrote. Thread-safe.
 */
public final class RetryingStore implements CacheStore {

  /** When a failed operation may be tried again. */
  private enum Repeat {
    /** After any transient failure: a repeat leaves what one attempt leaves. */
    ALWAYS,
    /** Only after a transient failure that certainly did not apply it. */
    IF_NOT_APPLIED,
    /** Never: part of a batch may have been applied, and a repeat would apply it again. */
    NEVER
  }

  private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final CacheStore store;
  private final long budgetNanos;
  private final LongSupplier nanoTime;
  private final LongConsumer pause;

  public RetryingStore(CacheStore store, Duration maxRetryTime) {
    this(store, maxRetryTime, System::nanoTime, LockSupport::parkNanos);
  }

  /** With a clock and a way to pause of the caller's choosing (tests). */
  RetryingStore(CacheStore store, Duration maxRetryTime, LongSupplier nanoTime, LongConsumer pause) {
    this.store = Objects.requireNonNull(store, "store");
    this.budgetNanos = Objects.requireNonNull(maxRetryTime, "maxRetryTime").toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.pause = Objects.requireNonNull(pause, "pause");
  }

  @Override
  public SegmentedKeyLayout layout() {
    return store.layout();
  }

  @Override
  public byte[] get(byte[] key) {
    return retry(Repeat.ALWAYS, () -> store.get(key));
  }

  @Override
  public Timed getTimed(byte[] key) {
    return retry(Repeat.ALWAYS, () -> store.getTimed(key));
  }

  @Override
  public Lease lease(byte[] key, byte[] owner, long millis, boolean whileAbsent) {
    return retry(Repeat.ALWAYS, () -> store.lease(key, owner, millis, whileAbsent));
  }

  @Override
  public List<Lease> leaseAll(List<byte[]> keys, byte[] owner, long millis, boolean whileAbsent) {
    return retry(Repeat.ALWAYS, () -> store.leaseAll(keys, owner, millis, whileAbsent));
  }

  @Override
  public boolean[] putIfAbsentAll(List<byte[]> keys, List<byte[]> records, long[] creationTtls) {
    return retry(Repeat.IF_NOT_APPLIED, () -> store.putIfAbsentAll(keys, records, creationTtls));
  }

  @Override
  public boolean renewLeases(List<byte[]> keys, byte[] owner, long millis) {
    return retry(Repeat.ALWAYS, () -> store.renewLeases(keys, owner, millis));
  }

  @Override
  public void releaseLeases(List<byte[]> keys, byte[] owner) {
    retry(Repeat.ALWAYS, () -> {
      store.releaseLeases(keys, owner);
      return null;
    });
  }

  @Override
  public void releaseLease(byte[] key, byte[] owner) {
    retry(Repeat.ALWAYS, () -> {
      store.releaseLease(key, owner);
      return null;
    });
  }

  @Override
  public List<Timed> getAllTimed(List<byte[]> keys) {
    return retry(Repeat.ALWAYS, () -> store.getAllTimed(keys));
  }

  @Override
  public byte[] getAndExpire(byte[] key, long ttl) {
    return retry(ttl == Ttl.EXPIRE_NOW ? Repeat.IF_NOT_APPLIED : Repeat.ALWAYS, () -> store.getAndExpire(key, ttl));
  }

  @Override
  public void expire(byte[] key, long ttl) {
    retry(Repeat.ALWAYS, () -> {
      store.expire(key, ttl);
      return null;
    });
  }

  @Override
  public boolean exists(byte[] key) {
    return retry(Repeat.ALWAYS, () -> store.exists(key));
  }

  @Override
  public byte[] put(byte[] key, byte[] record, long creationTtl, long updateTtl, boolean returnOld) {
    Repeat repeat = !returnOld && Ttl.isPlainOverwrite(creationTtl, updateTtl) ? Repeat.ALWAYS : Repeat.IF_NOT_APPLIED;
    return retry(repeat, () -> store.put(key, record, creationTtl, updateTtl, returnOld));
  }

  @Override
  public boolean putIfAbsent(byte[] key, byte[] record, long creationTtl) {
    return retry(Repeat.IF_NOT_APPLIED, () -> store.putIfAbsent(key, record, creationTtl));
  }

  @Override
  public boolean putIfAbsentReleasing(byte[] key, byte[] record, long creationTtl, byte[] leaseOwner) {
    return retry(Repeat.IF_NOT_APPLIED, () -> store.putIfAbsentReleasing(key, record, creationTtl, leaseOwner));
  }

  @Override
  public byte[] replace(byte[] key, byte[] record, long updateTtl, boolean returnOld) {
    return retry(Repeat.IF_NOT_APPLIED, () -> store.replace(key, record, updateTtl, returnOld));
  }

  @Override
  public byte[] remove(byte[] key, boolean returnOld) {
    return retry(returnOld ? Repeat.IF_NOT_APPLIED : Repeat.ALWAYS, () -> store.remove(key, returnOld));
  }

  @Override
  public boolean compareAndSet(byte[] key, byte[] expectedHeader, byte[] record, long ttl) {
    return retry(Repeat.IF_NOT_APPLIED, () -> store.compareAndSet(key, expectedHeader, record, ttl));
  }

  @Override
  public Watched watch(byte[] key) {
    return retry(Repeat.ALWAYS, () -> store.watch(key));
  }

  @Override
  public Conditional replaceIfEqual(byte[] key, byte[] expectedPayload, byte[] record, long ttl, long mismatchTtl) {
    return retry(Repeat.IF_NOT_APPLIED, () -> store.replaceIfEqual(key, expectedPayload, record, ttl, mismatchTtl));
  }

  @Override
  public boolean deleteIfSame(byte[] key, byte[] bytes) {
    return retry(Repeat.IF_NOT_APPLIED, () -> store.deleteIfSame(key, bytes));
  }

  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    return retry(Repeat.ALWAYS, () -> store.getAll(keys));
  }

  @Override
  public List<byte[]> getAllAndExpire(List<byte[]> keys, long ttl) {
    return retry(ttl == Ttl.EXPIRE_NOW ? Repeat.NEVER : Repeat.ALWAYS, () -> store.getAllAndExpire(keys, ttl));
  }

  @Override
  public boolean[] compareAndSetAll(List<byte[]> keys, List<byte[]> expectedHeaders, List<byte[]> records,
      long[] ttls) {
    return retry(Repeat.NEVER, () -> store.compareAndSetAll(keys, expectedHeaders, records, ttls));
  }

  @Override
  public void putAll(List<byte[]> keys, List<byte[]> records, long creationTtl, long updateTtl) {
    retry(sameWhenRepeated(creationTtl, updateTtl) ? Repeat.ALWAYS : Repeat.NEVER, () -> {
      store.putAll(keys, records, creationTtl, updateTtl);
      return null;
    });
  }

  @Override
  public long removeAll(List<byte[]> keys) {
    return retry(Repeat.ALWAYS, () -> store.removeAll(keys));
  }

  @Override
  public List<List<byte[]>> keysOfSegments(int from, int count) {
    return retry(Repeat.ALWAYS, () -> store.keysOfSegments(from, count));
  }

  @Override
  public void clear() {
    retry(Repeat.ALWAYS, () -> {
      store.clear();
      return null;
    });
  }

  /**
   * Whether a put applied twice leaves what it leaves once: the second finds the entry the first wrote (or did not
   * write) and gives it the same TTL again.
   */
  private static boolean sameWhenRepeated(long creationTtl, long updateTtl) {
    return updateTtl == creationTtl || updateTtl == Ttl.KEEP || creationTtl == Ttl.EXPIRE_NOW;
  }

  private <T> T retry(Repeat repeat, Supplier<T> operation) {
    long start = nanoTime.getAsLong();
    for (int failures = 0; ; ) {
      try {
        return operation.get();
      } catch (StoreException e) {
        boolean again = repeat == Repeat.ALWAYS || repeat == Repeat.IF_NOT_APPLIED && !e.outcomeUnknown();
        long left = budgetNanos - (nanoTime.getAsLong() - start);
        if (!again || left <= 0 || !e.isTransient()) {
          throw e;
        }
        pause.accept(Math.min(left, Math.min(LONGEST_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(failures++, 5))));
        if (Thread.currentThread().isInterrupted()) {
          throw e;
        }
      }
    }
  }
}
