package dev.slotcache.internal.near;

/**
 * What this JVM's near cache of one cache did, for operators: registered as
 * {@code dev.slotcache:type=NearCache,CacheManager=<uri>,Cache=<name>} while the cache is open with a near cache.
 * Counts since the cache was opened in this JVM.
 */
public interface NearCacheMXBean {

  /** Reads answered from this JVM's memory. */
  long getHits();

  /** Reads that went to Redis (the entry was not held, had expired, or had been invalidated). */
  long getMisses();

  /** Entries stored after a read from Redis. */
  long getFills();

  /** Reads from Redis whose value was not kept: an invalidation, a flush or a tracking outage raced with them. */
  long getRejectedFills();

  /** Invalidations: from Redis (any client's write, expiry, eviction) and from this JVM's own writes. */
  long getInvalidations();

  /** Times entries were dropped wholesale: a lost tracking connection, slots changing owner, FLUSHALL, clear. */
  long getFlushes();

  /** Entries held now (approximately; invalidated ones leave at their next read or by eviction). */
  long getSize();

  /** The configured bound on entries. */
  long getMaxEntries();

  /** Whether every master is tracked now; false means nothing is being filled. */
  boolean isTracking();
}
