package dev.slotcache.hibernate;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a region does when Redis does not answer: with fail-open (the default) the failure is logged — at most
 * once per interval, with the region and the cause, never a value — and the operation degrades; without it, the
 * failure reaches Hibernate as an {@link org.hibernate.cache.CacheException}. Thread-safe.
 */
final class OutagePolicy {

  private static final Logger LOG = LoggerFactory.getLogger(SlotcacheRegionFactory.class);
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** How long a region waits before it tries Redis again after a failure. */
  static final long RETRY_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final boolean failOpen;
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final AtomicLong suppressed = new AtomicLong();

  OutagePolicy(boolean failOpen) {
    this.failOpen = failOpen;
  }

  boolean failOpen() {
    return failOpen;
  }

  /** Handles a failed cache operation: returns when failing open, throws otherwise. */
  void failed(String region, String operation, RuntimeException e) {
    if (!failOpen) {
      throw new org.hibernate.cache.CacheException("second-level cache region '" + region + "': " + operation
          + " failed: " + e.getMessage(), e);
    }
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
      long more = suppressed.getAndSet(0);
      LOG.warn("second-level cache region '{}': {} failed, going on without the cache ({}){}", region, operation,
          e.getMessage(), more == 0 ? "" : "; " + more + " similar failures since the last warning");
    } else {
      suppressed.incrementAndGet();
    }
  }
}
