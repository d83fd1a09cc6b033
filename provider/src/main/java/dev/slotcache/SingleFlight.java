package dev.slotcache;

import dev.slotcache.internal.store.CacheStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.cache.integration.CacheLoaderException;

/**
 * One load per key at a time, across every JVM that shares the cache (a read-through cache's misses).
 *
 * <p>In this JVM, callers missing the same key at once share one attempt (the first caller's; the others wait for its
 * result, also for its exception). Across JVMs, the attempt first takes the key's load lease in Redis ({@code SET}
 * in the entry's own slot, {@code single-flight.lease} long, renewed every third of that while the loader runs):
 * only the holder loads; everyone else reads the stored value as soon as it is there (polled, 2 ms doubling to
 * 50 ms, so a load of 200 ms costs a waiter about 6 reads). A holder that dies stops renewing, so its lease expires
 * within {@code single-flight.lease} and the next waiter takes it. A waiter that has waited
 * {@code single-flight.wait} loads on its own: no caller waits longer than that plus one load. A failed load is not
 * shared across JVMs: the next JVM's attempt takes the lease and tries once more.
 */
final class SingleFlight<V> {

  private static final long FIRST_POLL_MILLIS = 2;
  private static final long LAST_POLL_MILLIS = 50;

  private final String cacheName;
  private final CacheStore store;
  private final String owner;
  private final AtomicLong attemptsMade = new AtomicLong();
  private final long leaseMillis;
  private final long waitNanos;
  private final ConcurrentHashMap<ByteBuffer, CompletableFuture<V>> attempts = new ConcurrentHashMap<>();
  private final Executor renewals;

  SingleFlight(String cacheName, CacheStore store, String nodeId, Duration lease, Duration wait) {
    this.cacheName = cacheName;
    this.store = store;
    this.owner = nodeId + "/" + UUID.randomUUID();
    this.leaseMillis = Math.max(100, lease.toMillis());
    this.waitNanos = wait.toNanos();
    this.renewals = CompletableFuture.delayedExecutor(leaseMillis / 3, TimeUnit.MILLISECONDS);
  }

  /**
   * The value of encoded key {@code k}: stored, or loaded once (by this JVM or another) and stored. {@code stored}
   * reads the stored value (null: none); {@code loadAndStore} loads one and returns what is stored then.
   */
  V load(byte[] k, Supplier<V> stored, Supplier<V> loadAndStore) {
    ByteBuffer id = ByteBuffer.wrap(k);
    CompletableFuture<V> mine = new CompletableFuture<>();
    CompletableFuture<V> running = attempts.putIfAbsent(id, mine);
    if (running != null) {
      return awaitLocal(running);
    }
    try {
      V value = attempt(k, stored, loadAndStore);
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      attempts.remove(id, mine);
    }
  }

  private V awaitLocal(CompletableFuture<V> running) {
    try {
      return running.get(waitNanos + TimeUnit.MILLISECONDS.toNanos(leaseMillis), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new CacheLoaderException("cache '" + cacheName + "': the load this call waited for failed", cause);
    } catch (TimeoutException e) {
      throw new CacheLoaderException("cache '" + cacheName + "': the load this call waited for took longer than "
          + "single-flight.wait plus one lease");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("cache '" + cacheName + "': interrupted while waiting for a load", e);
    }
  }

  /** Takes the lease and loads, or waits for the holder's value; loads alone once the wait is over. */
  private V attempt(byte[] k, Supplier<V> stored, Supplier<V> loadAndStore) {
    byte[] token = newToken();
    CacheStore.Lease lease = store.lease(k, token, leaseMillis);
    Held held = lease == CacheStore.Lease.HELD ? hold(k, token) : null;
    if (held == null) {
      V present = stored.get(); // refused: stored meanwhile, or another attempt loads it
      if (present != null || lease == CacheStore.Lease.STORED) {
        // stored (one this JVM cannot read, such as a class it does not have, is loaded here, as without a lease)
        return present != null ? present : loadAndStore.get();
      }
      List<V> found = new ArrayList<>(1);
      held = awaitStoredOrTake(k, () -> {
        V value = stored.get();
        return value != null && found.add(value);
      });
      if (held == null) {
        return found.isEmpty() ? loadAndStore.get() : found.get(0);
      }
    }
    try {
      return loadAndStore.get(); // the lease is only given while the entry is absent: no read first
    } finally {
      held.close();
    }
  }

  /** A load lease one attempt holds: renewed every third of its life until closed, then given back. */
  final class Held implements AutoCloseable {
    private final byte[] k;
    private final byte[] token;
    private final AtomicBoolean done = new AtomicBoolean();

    private Held(byte[] k, byte[] token) {
      this.k = k;
      this.token = token;
    }

    private void renewLater() {
      renewals.execute(() -> {
        if (!done.get()) {
          try {
            if (store.lease(k, token, leaseMillis) == CacheStore.Lease.HELD && !done.get()) {
              renewLater();
            }
          } catch (RuntimeException e) {
            renewLater(); // Redis unreachable: the lease may lapse, and another JVM may load too
          }
        }
      });
    }

    /** Gives the lease back; if Redis does not answer, it expires by itself within one lease. */
    @Override
    public void close() {
      done.set(true);
      try {
        store.releaseLease(k, token);
      } catch (RuntimeException e) {
        // the work under the lease is done and reported; the lease lapses on its own
      }
    }
  }

  /** Takes the lease of {@code k} for one attempt; null when another attempt (in this JVM or another) holds it. */
  Held take(byte[] k) {
    byte[] token = newToken();
    return store.lease(k, token, leaseMillis) == CacheStore.Lease.HELD ? hold(k, token) : null;
  }

  private byte[] newToken() {
    return (owner + ":" + attemptsMade.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
  }

  private Held hold(byte[] k, byte[] token) {
    Held held = new Held(k, token);
    held.renewLater();
    return held;
  }

  /**
   * Waits while another attempt holds the lease of {@code k}: returns null as soon as {@code stored} says the value is
   * there, the lease once it could be taken, and null once {@code single-flight.wait} has passed.
   */
  Held awaitStoredOrTake(byte[] k, BooleanSupplier stored) {
    long deadline = System.nanoTime() + waitNanos;
    for (long poll = FIRST_POLL_MILLIS; ; poll = Math.min(LAST_POLL_MILLIS, poll * 2)) {
      sleep(poll);
      if (stored.getAsBoolean()) {
        return null;
      }
      Held held = take(k);
      if (held != null || System.nanoTime() - deadline >= 0) {
        return held;
      }
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("cache '" + cacheName + "': interrupted while waiting for a load", e);
    }
  }
}
