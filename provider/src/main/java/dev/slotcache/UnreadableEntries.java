package dev.slotcache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts entries of one cache that were found but could not be read, and says so in the log: the first time, then
 * at most once a minute with the count since, so a deploy that orphans a whole cache is visible without flooding the
 * log. Two kinds, reported apart because they are handled apart:
 * <ul>
 *   <li>unreadable bytes (another application's data, a class that changed incompatibly after a deploy, a class
 *       outside the allow-list): a miss, and removed;</li>
 *   <li>a class this CacheManager's class loader cannot load: a miss, and kept, since a JVM that sees the class
 *       reads the entry.</li>
 * </ul>
 * Thread-safe.
 */
final class UnreadableEntries {

  private static final Logger LOG = LoggerFactory.getLogger(SlotcacheCache.class);
  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String cacheName;
  private final RateLimit removed = new RateLimit();
  private final RateLimit kept = new RateLimit();

  UnreadableEntries(String cacheName) {
    this.cacheName = cacheName;
  }

  /**
   * Records one unreadable entry, which the caller removes; {@code reason} names the class or format problem,
   * never the value.
   */
  void found(String reason) {
    long count = removed.count();
    if (count > 0) {
      LOG.warn("cache {}: {} stored entr{} could not be read and {} treated as a miss and removed (latest: {}). "
          + "Usual causes: a value class changed a field's type after a deploy, a class outside "
          + "slotcache.codec.allowed-classes, or another application writing under this namespace.",
          cacheName, count, count == 1 ? "y" : "ies", count == 1 ? "was" : "were", reason);
    }
  }

  /** Records one entry naming a class that {@code classLoader} cannot load; the caller keeps it. */
  void classNotVisible(String className, ClassLoader classLoader) {
    long count = kept.count();
    if (count > 0) {
      LOG.warn("cache {}: {} stored entr{} could not be read here and {} treated as a miss but kept: class {} is not "
          + "visible to this CacheManager's class loader {} (JVMs that see the class still read {}). If the class is "
          + "yours, pass a ClassLoader that sees it to getCacheManager(uri, classLoader), or make it the thread's "
          + "context class loader before getCacheManager(uri, null).",
          cacheName, count, count == 1 ? "y" : "ies", count == 1 ? "was" : "were", className, classLoader,
          count == 1 ? "it" : "them");
    }
  }

  /** Counts occurrences; lets one report through a minute. */
  private static final class RateLimit {
    private final AtomicLong sinceReport = new AtomicLong();
    private final AtomicLong lastReportNanos = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    /** Counts one occurrence; returns the count to report now (this one included), or 0 when it is not time. */
    long count() {
      sinceReport.incrementAndGet();
      long now = System.nanoTime();
      long last = lastReportNanos.get();
      if (now - last >= INTERVAL_NANOS && lastReportNanos.compareAndSet(last, now)) {
        return sinceReport.getAndSet(0);
      }
      return 0;
    }
  }
}
