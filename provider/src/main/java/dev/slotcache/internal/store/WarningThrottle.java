package dev.slotcache.internal.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Lets a repeated warning through at most once per interval: an outage logs a line, not a flood. Thread-safe. */
final class WarningThrottle {

  private final long intervalNanos;
  private final AtomicLong nextAllowed = new AtomicLong(System.nanoTime());

  WarningThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** True for the first call and then for the first call after each interval. */
  boolean allow() {
    long now = System.nanoTime();
    long due = nextAllowed.get();
    return now - due >= 0 && nextAllowed.compareAndSet(due, now + intervalNanos);
  }
}
