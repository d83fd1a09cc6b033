package dev.slotcache.codec;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A lock-free pool (Kryo's own uses a blocking queue, whose lock the threads of a busy JVM queue up on).
 * Keeps at most {@code capacity} idle objects; more are created under load and dropped afterwards. Thread-safe.
 *
 * @param <T> what is pooled; an object is used by one thread between {@link #obtain} and {@link #free}
 */
final class LockFreePool<T> {

  private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final int capacity;
  private final Supplier<T> factory;

  LockFreePool(int capacity, Supplier<T> factory) {
    this.capacity = capacity;
    this.factory = factory;
  }

  /** An idle object, or a new one when none is idle. */
  T obtain() {
    T pooled = idle.poll();
    if (pooled == null) {
      return factory.get();
    }
    idleCount.decrementAndGet();
    return pooled;
  }

  /** Returns {@code pooled} to the pool, or drops it when {@code capacity} objects are idle already. */
  void free(T pooled) {
    if (idleCount.incrementAndGet() <= capacity) {
      idle.offer(pooled);
    } else {
      idleCount.decrementAndGet();
    }
  }
}
