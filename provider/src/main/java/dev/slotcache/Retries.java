package dev.slotcache;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** The waits between attempts of one operation. */
final class Retries {

  private Retries() {
  }

  /**
   * Randomised exponential back-off before retry {@code attempt} of a compare-and-set: without it, writers
   * contending for one hot key keep invalidating each other's reads and one of them may starve.
   */
  static void backOff(int attempt) {
    if (attempt == 0) {
      return;
    }
    long ceilingMicros = 20L << Math.min(attempt, 8);
    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceilingMicros * 1000));
  }

  /** Waits before retrying after a transient failure: 10 ms doubling to 200 ms, never past the deadline. */
  static void pauseBeforeRetry(int failures, long deadline) {
    long pause = TimeUnit.MILLISECONDS.toNanos(Math.min(200, 10L << Math.min(failures, 5)));
    LockSupport.parkNanos(Math.max(0, Math.min(pause, deadline - System.nanoTime())));
  }
}
