package dev.slotcache.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many threads doing something at the same moment, as a crowd of callers does: for tests of what happens under
 * contention (one load per key, one writer call per change).
 */
public final class Crowd {

  /** The work of one thread of the crowd; {@code thread} numbers them from 0. */
  @FunctionalInterface
  public interface Work {
    void run(int thread) throws Exception;
  }

  private Crowd() {
  }

  /**
   * Runs {@code work} on {@code threads} threads released together, and waits for all of them (at most
   * {@code timeout}); the first failure is rethrown (an {@code AssertionError} as it is).
   */
  public static void run(int threads, Duration timeout, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> calls = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        calls.add(pool.submit(() -> {
          start.await();
          work.run(thread);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> call : calls) {
        try {
          call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
