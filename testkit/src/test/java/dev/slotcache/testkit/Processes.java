package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

/** Assertions about operating-system processes. */
final class Processes {

  private Processes() {
  }

  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Fails unless every pid has ended within {@code timeout}. */
  static void assertAllEnd(List<Long> pids, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long pid : pids) {
      while (isAlive(pid) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(!isAlive(pid), what + " " + pid + " still runs after " + timeout.toMillis() + " ms");
    }
  }
}
