package dev.slotcache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts entries of one cache that were found but could not be read (another application's bytes, a class
 * that changed incompatibly after a deploy, a class outside the allow-list) and says so in the log: the first
 * time, then at most once a minute with the count since, so a deploy that orphans a whole cache is visible
 * without flooding the log. Thread-safe.
 */
final class UnreadableEntries {

  private static final Logger LOG = LoggerFactory.getLogger(SlotcacheCache.class);
  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final String cacheName;
  private final AtomicLong sinceReport = new AtomicLong();
  private final AtomicLong lastReportNanos = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

  UnreadableEntries(String cacheName) {
    this.cacheName = cacheName;
  }

  /** Records one unreadable entry; {@code reason} names the class or format problem, never the value. */
  void found(String reason) {
    sinceReport.incrementAndGet();
    long now = System.nanoTime();
    long last = lastReportNanos.get();
    if (now - last >= INTERVAL_NANOS && lastReportNanos.compareAndSet(last, now)) {
      LOG.warn("cache {}: {} stored entr{} could not be read and {} treated as a miss and removed (latest: {}). "
          + "Usual causes: a value class changed a field's type after a deploy, a class outside "
          + "slotcache.codec.allowed-classes, or another application writing under this namespace.",
          cacheName, sinceReport.get(), sinceReport.get() == 1 ? "y" : "ies", sinceReport.get() == 1 ? "was" : "were",
          reason);
      sinceReport.set(0);
    }
  }
}
