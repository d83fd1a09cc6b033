package dev.slotcache.internal.store;

import java.util.List;

/**
 * The byte-level store of one cache: encoded keys in, stored records out, laid out by a {@link SegmentedKeyLayout}.
 * This is everything the cache needs from Redis; serialization lives above it, retrying in a wrapper around it
 * ({@link RetryingStore}), the Redis commands in {@link SegmentStore}.
 *
 * <p>Every single-key method is one network round trip; batch methods one pipeline per master, masters at once.
 * Every failure is a {@link StoreException} naming the cache, the operation and the node. TTL arguments are
 * milliseconds or one of the {@link Ttl} constants, and each means what it says in every method. Implementations
 * are thread-safe.
 */
public interface CacheStore {

  /** Returned by write methods asked not to return the old value, when the key was present. */
  byte[] PRESENT = new byte[0];

  SegmentedKeyLayout layout();

  // ---------------------------------------------------------------- single keys

  /** The stored record, or null. */
  byte[] get(byte[] key);

  /** A record and its remaining TTL in milliseconds ({@code -1}: none), as read together. */
  record Timed(byte[] record, long ttlMillis) {
  }

  /** The stored record with its remaining TTL, in one round trip; null when absent. */
  Timed getTimed(byte[] key);

  /**
   * The stored record, also setting its TTL ({@code GETEX}); {@link Ttl#EXPIRE_NOW} reads and removes,
   * {@link Ttl#KEEP} only reads.
   */
  byte[] getAndExpire(byte[] key, long ttl);

  /** Sets the TTL of an existing key; {@link Ttl#KEEP} does nothing, {@link Ttl#EXPIRE_NOW} removes it. */
  void expire(byte[] key, long ttl);

  boolean exists(byte[] key);

  /**
   * Writes a record whatever is there. The TTL is {@code creationTtl} when the key was absent and {@code updateTtl}
   * when present. Returns the old record when {@code returnOld}, else {@link #PRESENT} or null when it is known
   * whether the key existed, and null otherwise: a {@linkplain Ttl#isPlainOverwrite plain overwrite} does not learn
   * it.
   */
  byte[] put(byte[] key, byte[] record, long creationTtl, long updateTtl, boolean returnOld);

  /** True when the key was absent and is now written (or, with {@link Ttl#EXPIRE_NOW}, was absent). */
  boolean putIfAbsent(byte[] key, byte[] record, long creationTtl);

  /**
   * {@link #putIfAbsent}, and in the same script gives back the lease {@code leaseOwner} holds on the key (a load
   * stored: one round trip instead of two).
   */
  boolean putIfAbsentReleasing(byte[] key, byte[] record, long creationTtl, byte[] leaseOwner);

  /**
   * Replaces only a present key. Returns the old record when {@code returnOld}, else {@link #PRESENT}; null when
   * the key was absent. {@link Ttl#EXPIRE_NOW} removes the present entry instead.
   */
  byte[] replace(byte[] key, byte[] record, long updateTtl, boolean returnOld);

  /** Removes the key. Returns the old record when {@code returnOld}, else {@link #PRESENT}; null when absent. */
  byte[] remove(byte[] key, boolean returnOld);

  /**
   * Writes {@code record} (or deletes, when null) only if the stored header still equals {@code expectedHeader}
   * (null: only if the key is absent). True when applied.
   */
  boolean compareAndSet(byte[] key, byte[] expectedHeader, byte[] record, long ttl);

  /**
   * Starts an optimistic transaction on one key: the key is watched and read in one round trip, on a connection
   * to its master that the returned handle keeps until closed.
   */
  Watched watch(byte[] key);

  /**
   * A key under watch with the value read, on its own connection. {@link #commit} writes only if nobody changed the
   * key since; {@link #close} returns the connection. Confined to one thread.
   */
  interface Watched extends AutoCloseable {
    /** The stored record when the key was watched, or null. */
    byte[] value();

    /**
     * {@code MULTI}, SET (or DEL when {@code record} is null), {@code EXEC}: true when applied, false when the key
     * changed since it was watched. A lost reply raises a {@link StoreException} whose outcome is unknown.
     */
    boolean commit(byte[] record, long ttl);

    @Override
    void close();
  }

  /** Outcome of {@link #replaceIfEqual}. */
  record Conditional(Outcome outcome, byte[] current) {
  }

  /** What a conditional write found. */
  enum Outcome { ABSENT, APPLIED, MISMATCH }

  /**
   * Replaces (or deletes, when {@code record} is null) only while the stored payload equals {@code expectedPayload}
   * byte for byte; on a mismatch applies {@code mismatchTtl} (an access TTL, or {@link Ttl#KEEP}) and returns the
   * current record so the caller can compare by {@code equals}.
   */
  Conditional replaceIfEqual(byte[] key, byte[] expectedPayload, byte[] record, long ttl, long mismatchTtl);

  /** Deletes the key only while it holds exactly {@code bytes}: removes undecodable data without racing a writer. */
  boolean deleteIfSame(byte[] key, byte[] bytes);

  // ---------------------------------------------------------------- leases

  /** What {@link #lease} found. */
  enum Lease {
    /** The owner holds the lease now. */
    HELD,
    /** Another owner holds it. */
    TAKEN,
    /** The key is stored: nothing to load, no lease given (only for a lease taken {@code whileAbsent}). */
    STORED
  }

  /**
   * Takes (or, held by {@code owner} already, extends) the lease of a key for {@code millis}: a load lease
   * ({@code whileAbsent}: not given while the key is stored) or the key's exclusive write section (given either way).
   * Both are one lease key in the entry's own slot, so a load and a write section exclude each other; it expires by
   * itself.
   */
  Lease lease(byte[] key, byte[] owner, long millis, boolean whileAbsent);

  /**
   * Extends the lease {@code owner} holds on each key by {@code millis}; never takes one that is free (a renewal that
   * arrives after the lease was given back must not bring it back). Whether {@code owner} still holds any.
   */
  boolean renewLeases(List<byte[]> keys, byte[] owner, long millis);

  /** Gives the lease back, if {@code owner} still holds it. */
  void releaseLease(byte[] key, byte[] owner);

  /**
   * {@link #lease} for many keys, one pipeline per master (one command for a single key); the answers in the order of
   * {@code keys}.
   */
  List<Lease> leaseAll(List<byte[]> keys, byte[] owner, long millis, boolean whileAbsent);

  /**
   * {@link #putIfAbsent} for many keys, one pipeline per master: whether each was absent and is stored now. Each TTL
   * is positive or {@link Ttl#PERSIST} ({@link Ttl#EXPIRE_NOW} creations are not stored at all: their callers skip
   * them).
   */
  boolean[] putIfAbsentAll(List<byte[]> keys, List<byte[]> records, long[] creationTtls);

  /** {@link #releaseLease} for many keys, one pipeline per master (one command for a single key). */
  void releaseLeases(List<byte[]> keys, byte[] owner);

  // ---------------------------------------------------------------- batches

  /** The records of many keys (null where absent), in the order of {@code keys}. */
  List<byte[]> getAll(List<byte[]> keys);

  /** {@link #getTimed} of many keys (null where absent), in the order of {@code keys}. */
  List<Timed> getAllTimed(List<byte[]> keys);

  /** {@link #getAndExpire} of many keys, in the order of {@code keys}. */
  List<byte[]> getAllAndExpire(List<byte[]> keys, long ttl);

  /**
   * {@link #compareAndSet} of many keys. {@code expectedHeaders} and {@code records} entries may be null (absent /
   * delete). Returns which were applied, in the order of keys.
   */
  boolean[] compareAndSetAll(List<byte[]> keys, List<byte[]> expectedHeaders, List<byte[]> records, long[] ttls);

  /** {@link #put} of many records, old values not returned. */
  void putAll(List<byte[]> keys, List<byte[]> records, long creationTtl, long updateTtl);

  /** Removes many keys; returns how many existed. */
  long removeAll(List<byte[]> keys);

  /**
   * The encoded keys of segments {@code from} to {@code from + count - 1}, one list per segment, read slot by slot
   * (never with a cluster-wide scan).
   */
  List<List<byte[]>> keysOfSegments(int from, int count);

  /** Deletes every entry of this cache, slot by slot. */
  void clear();
}
