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
  /** How long the regions leave Redis alone after a failure. */
  static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final boolean failOpen;
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final AtomicLong suppressed = new AtomicLong();
  private volatile long quietUntil = System.nanoTime();

  OutagePolicy(boolean failOpen) {
    this.failOpen = failOpen;
  }

  boolean failOpen() {
    return failOpen;
  }

  /**
   * After a failure, the regions of one factory skip Redis for two seconds (reads miss, writes are skipped and
   * remembered as lost invalidations): one cluster, one outage — each operation waiting for its own timeout would
   * stall every transaction. Only when failing open.
   */
  void backOff() {
    if (failOpen) {
      quietUntil = System.nanoTime() + QUIET_NANOS;
    }
  }

  /** True while the regions should leave Redis alone. */
  boolean quiet() {
    return System.nanoTime() - quietUntil < 0;
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
