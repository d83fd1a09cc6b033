package dev.slotcache.internal.store;

/**
 * Time-to-live arguments of store writes, in milliseconds. Positive values are a TTL; the constants below
 * carry the other outcomes an expiry policy can have.
 */
public final class Ttl {

  /** Keep whatever TTL the entry has (Redis {@code KEEPTTL}); a new entry gets none. */
  public static final long KEEP = -2;

  /** No TTL: the entry lives until removed. */
  public static final long PERSIST = -1;

  /** Expire at once: a new entry is not stored, an existing one is removed. */
  public static final long EXPIRE_NOW = 0;

  private Ttl() {
  }

  /**
   * Whether a put with these TTLs is a plain overwrite ({@code SET} with {@code PX}, {@code KEEPTTL} or nothing): the
   * same TTL whether or not the key exists, or none for a new key and the current one kept. Such a put does not
   * learn whether the key existed, and writing twice leaves what writing once does.
   */
  public static boolean isPlainOverwrite(long creationTtl, long updateTtl) {
    return creationTtl == updateTtl && (creationTtl > 0 || creationTtl == PERSIST)
        || creationTtl == PERSIST && updateTtl == KEEP;
  }
}
