package dev.slotcache;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Threads of this JVM working on the same key take turns: each waits (at most {@code wait}) for the one before it,
 * instead of racing it to a compare-and-set in Redis and retrying. A queue exists only while a key has users.
 * Correctness never rests on it (the work is atomic across JVMs without it): a turn not given within the wait is
 * taken anyway. Thread-safe.
 */
final class KeyQueues {

  private static final class Queue {
    final ReentrantLock lock = new ReentrantLock();
    int users; // changed only inside the map's compute functions
  }

  private final ConcurrentHashMap<ByteBuffer, Queue> queues = new ConcurrentHashMap<>();
  private final long waitNanos;

  KeyQueues(java.time.Duration wait) {
    this.waitNanos = wait.toNanos();
  }

  /** Runs {@code work} once every earlier thread of this JVM on key {@code k} is done (or the wait is over). */
  <T> T inTurn(byte[] k, Supplier<T> work) {
    ByteBuffer id = ByteBuffer.wrap(k);
    Queue queue = queues.compute(id, (key, current) -> {
      Queue joined = current == null ? new Queue() : current;
      joined.users++;
      return joined;
    });
    boolean turn = false;
    try {
      turn = queue.lock.tryLock() || queue.lock.tryLock(waitNanos, TimeUnit.NANOSECONDS);
      return work.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new javax.cache.CacheException("interrupted while waiting for another thread's work on the same key", e);
    } finally {
      if (turn) {
        queue.lock.unlock();
      }
      queues.computeIfPresent(id, (key, current) -> --current.users == 0 ? null : current);
    }
  }
}
