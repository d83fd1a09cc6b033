package dev.slotcache;

import dev.slotcache.internal.store.CacheStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import java.util.function.Function;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.cache.integration.CacheLoaderException;

/**
 * One load per key at a time, across every JVM that shares the cache (a read-through cache's misses, an invoke on a
 * missing entry), and the keys' write sections.
 *
 * <p>In this JVM, callers missing the same key at once share one attempt (the first caller's; the others wait for its
 * result, also for its exception). Across JVMs, the attempt first takes the key's load lease in Redis ({@code SET}
 * in the entry's own slot, {@code single-flight.lease} long, renewed every third of that while the loader runs):
 * only the holder loads; everyone else reads the stored value as soon as it is there (polled, 2 ms doubling to
 * 50 ms, so a load of 200 ms costs a waiter about 6 reads). A holder that dies stops renewing, so its lease expires
 * within {@code single-flight.lease} and the next waiter takes it. A waiter that has waited
 * {@code single-flight.wait} loads on its own: no caller waits longer than that plus one load. A failed load is not
 * shared across JVMs: the next JVM's attempt takes the lease and tries once more. Batches ({@link #loadAll}) take
 * the leases of all their keys in one pipeline per master.
 *
 * <p>The same lease key is also a key's write section ({@link #exclusive}): taken whether the entry is stored or not,
 * so that the writes of a cache with a writer, its loads and its early refreshes exclude each other in every JVM.
 */
final class SingleFlight<V> {

  /** Renewals block on Redis: on threads of their own, not the common pool (one thread on 2 cores). */
  private static final java.util.concurrent.ExecutorService RENEWING =
      java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "slotcache-lease-renewal");
        thread.setDaemon(true);
        return thread;
      });

  /** Keys whose write sections a batch asks for in one pipeline. */
  private static final int SECTION_CHUNK = 100;
  private static final long FIRST_POLL_MILLIS = 2;
  private static final long LAST_POLL_MILLIS = 50;

  private final boolean loadsOnce;
  private final String cacheName;
  private final CacheStore store;
  private final String owner;
  private final AtomicLong attemptsMade = new AtomicLong();
  private final long leaseMillis;
  private final long waitNanos;
  private final ConcurrentHashMap<ByteBuffer, CompletableFuture<V>> attempts = new ConcurrentHashMap<>();
  private final Executor renewals;

  /** @param loadsOnce whether loads go through leases ({@code single-flight}); write sections always do */
  SingleFlight(String cacheName, CacheStore store, String nodeId, Duration lease, Duration wait, boolean loadsOnce) {
    this.loadsOnce = loadsOnce;
    this.cacheName = cacheName;
    this.store = store;
    this.owner = nodeId + "/" + UUID.randomUUID();
    this.leaseMillis = Math.max(100, lease.toMillis());
    this.waitNanos = wait.toNanos();
    this.renewals = CompletableFuture.delayedExecutor(leaseMillis / 3, TimeUnit.MILLISECONDS, RENEWING);
  }

  /**
   * The value of encoded key {@code k}: stored, or loaded once (by this JVM or another) and stored. {@code stored}
   * reads the stored value (null: none); {@code loadAndStore} loads one and returns what is stored then.
   */
  V load(byte[] k, Supplier<V> stored, Function<Held, V> loadAndStore) {
    if (!loadsOnce) {
      return loadAndStore.apply(null);
    }
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

  /**
   * The values of encoded keys {@code ks} (null where none), each stored or loaded once as by {@link #load}, the
   * leases of a batch taken and given back together. {@code stored} reads the values at some positions of
   * {@code ks} (null: none); {@code loadAndStore} loads values for some positions and returns what is stored then.
   * Positions this JVM loads already wait for those loads; the rest are leased: the held ones loaded at once (one
   * {@code loadAll}), the ones another JVM loads waited for, then taken as their leases come free.
   */
  List<V> loadAll(List<byte[]> ks, Function<List<Integer>, List<V>> stored,
      Function<List<Integer>, List<V>> loadAndStore) {
    if (!loadsOnce) {
      List<Integer> all = new ArrayList<>(ks.size());
      for (int i = 0; i < ks.size(); i++) {
        all.add(i);
      }
      return loadAndStore.apply(all);
    }
    List<V> out = new ArrayList<>(java.util.Collections.nCopies(ks.size(), null));
    List<Integer> mine = new ArrayList<>();
    List<CompletableFuture<V>> mineDone = new ArrayList<>();
    Map<Integer, CompletableFuture<V>> theirs = new LinkedHashMap<>();
    for (int i = 0; i < ks.size(); i++) {
      CompletableFuture<V> attempt = new CompletableFuture<>();
      CompletableFuture<V> running = attempts.putIfAbsent(ByteBuffer.wrap(ks.get(i)), attempt);
      if (running == null) {
        mine.add(i);
        mineDone.add(attempt);
      } else {
        theirs.put(i, running);
      }
    }
    try {
      attemptAll(ks, mine, stored, loadAndStore, out);
      for (int j = 0; j < mine.size(); j++) {
        mineDone.get(j).complete(out.get(mine.get(j)));
      }
    } catch (RuntimeException | Error e) {
      mineDone.forEach(attempt -> attempt.completeExceptionally(e));
      throw e;
    } finally {
      for (int j = 0; j < mine.size(); j++) {
        attempts.remove(ByteBuffer.wrap(ks.get(mine.get(j))), mineDone.get(j));
      }
    }
    theirs.forEach((i, running) -> out.set(i, awaitLocal(running)));
    return out;
  }

  /** {@link #attempt} for the positions {@code todo} of {@code ks}, into {@code out}. */
  private void attemptAll(List<byte[]> ks, List<Integer> todo, Function<List<Integer>, List<V>> stored,
      Function<List<Integer>, List<V>> loadAndStore, List<V> out) {
    long deadline = System.nanoTime() + waitNanos;
    List<Integer> waiting = todo;
    for (long poll = 0; !waiting.isEmpty(); poll = Math.min(LAST_POLL_MILLIS, Math.max(FIRST_POLL_MILLIS, poll * 2))) {
      if (poll > 0) {
        sleep(poll);
        waiting = fill(waiting, stored.apply(waiting), out);
        if (waiting.isEmpty()) {
          return;
        }
        if (System.nanoTime() - deadline >= 0) {
          fill(waiting, loadAndStore.apply(waiting), out); // waited long enough: load alone
          return;
        }
      }
      byte[] token = newToken();
      List<CacheStore.Lease> leases = store.leaseAll(positions(ks, waiting), token, leaseMillis, true);
      List<Integer> held = new ArrayList<>();
      List<Integer> storedNow = new ArrayList<>();
      List<Integer> taken = new ArrayList<>();
      for (int j = 0; j < waiting.size(); j++) {
        CacheStore.Lease lease = leases.get(j);
        (lease == CacheStore.Lease.HELD ? held : lease == CacheStore.Lease.STORED ? storedNow : taken)
            .add(waiting.get(j));
      }
      // stored meanwhile: read (one this JVM cannot read, such as a class it does not have, is loaded here)
      held.addAll(storedNow.isEmpty() ? List.of() : fill(storedNow, stored.apply(storedNow), out));
      if (!held.isEmpty()) {
        Held lease = hold(positions(ks, held), token);
        try {
          fill(held, loadAndStore.apply(held), out);
        } finally {
          lease.close();
        }
      }
      waiting = taken;
    }
  }

  /** Puts {@code found} (values at {@code at}) into {@code out}; the positions still without a value. */
  private List<Integer> fill(List<Integer> at, List<V> found, List<V> out) {
    List<Integer> without = new ArrayList<>();
    for (int j = 0; j < at.size(); j++) {
      if (found.get(j) != null) {
        out.set(at.get(j), found.get(j));
      } else {
        without.add(at.get(j));
      }
    }
    return without;
  }

  /** The elements at positions {@code at} of {@code all}. */
  static <T> List<T> positions(List<T> all, List<Integer> at) {
    List<T> some = new ArrayList<>(at.size());
    for (int i : at) {
      some.add(all.get(i));
    }
    return some;
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
  private V attempt(byte[] k, Supplier<V> stored, Function<Held, V> loadAndStore) {
    byte[] token = newToken();
    CacheStore.Lease lease = store.lease(k, token, leaseMillis, true);
    Held held = lease == CacheStore.Lease.HELD ? hold(List.of(k), token) : null;
    if (held == null) {
      V present = stored.get(); // refused: stored meanwhile, or another attempt loads it
      if (present != null || lease == CacheStore.Lease.STORED) {
        // stored (one this JVM cannot read, such as a class it does not have, is loaded here, as without a lease)
        return present != null ? present : loadAndStore.apply(null);
      }
      List<V> found = new ArrayList<>(1);
      held = awaitStoredOrTake(k, () -> {
        V value = stored.get();
        return value != null && found.add(value);
      });
      if (held == null) {
        return found.isEmpty() ? loadAndStore.apply(null) : found.get(0);
      }
    }
    try {
      return loadAndStore.apply(held); // the lease is only given while the entry is absent: no read first
    } finally {
      held.close();
    }
  }

  /**
   * The leases one attempt holds (load leases, or write sections): renewed every third of their life until closed,
   * then given back.
   */
  final class Held implements AutoCloseable {
    private final List<byte[]> keys;
    private final byte[] token;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean givenBack;

    private Held(List<byte[]> keys, byte[] token) {
      this.keys = keys;
      this.token = token;
    }

    private void renewLater() {
      renewals.execute(() -> {
        if (!done.get()) {
          try {
            if (renew() && !done.get()) {
              renewLater();
            }
          } catch (RuntimeException e) {
            renewLater(); // Redis unreachable: the lease may lapse, and another JVM may load too
          }
        }
      });
    }

    /** Extends the leases; false once none is held any more (each key stored, or its lease lost). */
    private boolean renew() {
      return keys.isEmpty() || store.renewLeases(keys, token, leaseMillis); // none yet: a batch still waiting
    }

    /** The owner token of this lease, for a store command that gives it back ({@link #givenBack}). */
    byte[] token() {
      return token;
    }

    /** A store command has given the lease back with its write: {@link #close} has nothing left to send. */
    void givenBack() {
      done.set(true);
      givenBack = true;
    }

    /** Gives the leases back; if Redis does not answer, they expire by themselves within one lease. */
    @Override
    public void close() {
      done.set(true);
      if (givenBack) {
        return;
      }
      try {
        store.releaseLeases(keys, token);
      } catch (RuntimeException e) {
        // the work under the lease is done and reported; the lease lapses on its own
      }
    }
  }

  /** Takes the lease of {@code k} for one attempt; null when another attempt (in this JVM or another) holds it. */
  Held take(byte[] k) {
    byte[] token = newToken();
    return store.lease(k, token, leaseMillis, true) == CacheStore.Lease.HELD ? hold(List.of(k), token) : null;
  }

  private byte[] newToken() {
    return (owner + ":" + attemptsMade.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
  }

  private Held hold(List<byte[]> keys, byte[] token) {
    Held held = new Held(keys, token);
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

  /**
   * Runs {@code work} in the write section of encoded key {@code k}: the key's lease, taken whether the entry is
   * stored or not, so that no other write of the key (in any JVM that writes through) and no load runs meanwhile.
   * Waits for it at most {@code single-flight.wait}; then fails with nothing written.
   */
  <T> T exclusive(byte[] k, Supplier<T> work) {
    return exclusiveAll(List.of(k), work);
  }

  /** Runs {@code work} in the write section of {@code k} if it is free now; false (not run) when it is taken. */
  boolean tryExclusive(byte[] k, Runnable work) {
    byte[] token = newToken();
    if (store.lease(k, token, leaseMillis, false) != CacheStore.Lease.HELD) {
      return false;
    }
    Held section = hold(List.of(k), token);
    try {
      work.run();
      return true;
    } finally {
      section.close();
    }
  }

  /**
   * {@link #exclusive} for many keys at once. The sections are taken in one order, the same in every JVM (the encoded
   * keys' bytes): a batch holds only a prefix of its keys while it waits for the next one (asked for a chunk at a time
   * in one pipeline; any taken beyond a busy key are given back), so two batches cannot wait for each other.
   */
  <T> T exclusiveAll(List<byte[]> ks, Supplier<T> work) {
    if (ks.isEmpty()) {
      return work.get();
    }
    java.util.TreeSet<byte[]> ordered = new java.util.TreeSet<>(java.util.Arrays::compareUnsigned);
    ordered.addAll(ks);
    List<byte[]> all = new ArrayList<>(ordered);
    long deadline = System.nanoTime() + waitNanos;
    byte[] token = newToken();
    List<byte[]> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    Held section = hold(held, token); // renews what it holds so far while the rest is waited for
    try {
      long poll = FIRST_POLL_MILLIS;
      for (int next = 0; next < all.size(); ) { // all before next are held
        List<byte[]> asked = all.subList(next, Math.min(all.size(), next + SECTION_CHUNK));
        List<CacheStore.Lease> leases = store.leaseAll(asked, token, leaseMillis, false);
        int prefix = 0;
        while (prefix < asked.size() && leases.get(prefix) == CacheStore.Lease.HELD) {
          prefix++;
        }
        held.addAll(asked.subList(0, prefix));
        List<byte[]> beyond = new ArrayList<>(); // taken out of order: given back, so that only a prefix is held
        for (int i = prefix; i < asked.size(); i++) {
          if (leases.get(i) == CacheStore.Lease.HELD) {
            beyond.add(asked.get(i));
          }
        }
        if (!beyond.isEmpty()) {
          store.releaseLeases(beyond, token);
        }
        next += prefix;
        if (prefix == asked.size()) {
          poll = FIRST_POLL_MILLIS;
          continue;
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new CacheException("cache '" + cacheName + "': another write or load of the same key held it for "
              + "longer than slotcache.single-flight.wait (" + TimeUnit.NANOSECONDS.toMillis(waitNanos)
              + " ms); nothing was written");
        }
        sleep(poll + java.util.concurrent.ThreadLocalRandom.current().nextLong(poll + 1));
        poll = Math.min(LAST_POLL_MILLIS, poll * 2);
      }
      return work.get();
    } finally {
      section.close();
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
