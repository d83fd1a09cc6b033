package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.internal.event.EventDispatcher;
import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.integration.WriteThrough;
import dev.slotcache.internal.management.CacheStatistics;
import dev.slotcache.internal.processor.ProcessedEntry;
import dev.slotcache.internal.processor.ProcessedEntry.Operation;
import dev.slotcache.internal.store.Record;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.StoreException;
import dev.slotcache.internal.store.Ttl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.cache.integration.CacheWriterException;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * {@code invoke} and {@code invokeAll} of one cache: the processor runs in this JVM on the value read under
 * {@code WATCH}, and its outcome is committed in a transaction that fails when the key changed meanwhile, retrying
 * then (bounded by {@code slotcache.invoke.max-retries}); failovers and moved slots are retried within
 * {@code slotcache.max-retry-time}. A commit whose reply was lost is recognised by its stamp and never applied
 * twice. Processor exceptions leave the entry unchanged. Thread-safe.
 */
final class Invocations<K, V> {

  private final CacheStore store;
  private final EntryValues<K, V> values;
  private final ExpiryDecisions expiry;
  private final EventDispatcher<K, V> events;
  private final CacheStatistics statistics;
  private final WriteThrough<K, V> writer;
  private final Function<K, V> loader;
  private final int retries;
  private final Duration retryTime;
  private final boolean batched;
  private final SingleFlight<?> flights;
  private final WriteSections turns;
  private final boolean leaseMissing;

  /**
   * @param loader  read-through for a processor's {@code getValue()} on a missing entry (returns null if none)
   * @param batched whether invokeAll may batch (no writer and no loader follow each entry)
   * @param flights the load leases that let one processor at a time create a missing entry
   * @param turns   how invocations of one key take turns: queued in this JVM, and with a writer also exclusive
   *                across JVMs (the writer then sees each applied change once)
   * @param leaseMissing whether a processor on a missing entry takes the key's load lease (not needed, and not
   *                possible, inside an exclusive turn, which holds that lease already)
   */
  Invocations(CacheStore store, EntryValues<K, V> values, ExpiryDecisions expiry, EventDispatcher<K, V> events,
      CacheStatistics statistics, WriteThrough<K, V> writer, Function<K, V> loader, int retries, Duration retryTime,
      boolean batched, SingleFlight<?> flights, WriteSections turns, boolean leaseMissing) {
    this.store = requireNonNull(store, "store");
    this.values = requireNonNull(values, "values");
    this.expiry = requireNonNull(expiry, "expiry");
    this.events = requireNonNull(events, "events");
    this.statistics = requireNonNull(statistics, "statistics");
    this.writer = requireNonNull(writer, "writer");
    this.loader = requireNonNull(loader, "loader");
    this.retries = retries;
    this.retryTime = requireNonNull(retryTime, "retryTime");
    this.batched = batched;
    this.flights = requireNonNull(flights, "flights");
    this.turns = requireNonNull(turns, "turns");
    this.leaseMissing = leaseMissing;
  }

  /** invokeAll: batched where nothing follows each entry, else one invocation per key. */
  <T> Map<K, EntryProcessorResult<T>> invokeAll(List<K> keys, List<byte[]> encoded,
      EntryProcessor<K, V, T> entryProcessor, Object[] arguments) {
    return batched ? invokeBatched(keys, encoded, entryProcessor, arguments)
        : invokeEach(keys, encoded, entryProcessor, arguments);
  }

  <T> T invoke(K key, byte[] k, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    return turns.run(k, () -> invokeInTurn(key, k, entryProcessor, arguments));
  }

  private <T> T invokeInTurn(K key, byte[] k, EntryProcessor<K, V, T> entryProcessor, Object[] arguments) {
    long deadline = System.nanoTime() + retryTime.toNanos();
    // Commits whose reply was lost. One may still be applied later (its bytes can sit unread on a frozen node),
    // so every later read checks all of them, not just the last.
    List<Pending<T>> unknown = List.of();
    int conflicts = 0;
    // On a missing entry the processor runs under the key's load lease: one creator at a time in all JVMs, the
    // others wait for its value and then run on it (what Spring's @Cacheable(sync = true) relies on).
    SingleFlight<?>.Held lease = null;
    boolean waited = !leaseMissing;
    boolean waitNow = false;
    try {
      for (int failures = 0; ; ) {
        if (waitNow) {
          waitNow = false;
          try {
            lease = flights.awaitStoredOrTake(k, () -> store.exists(k));
          } catch (StoreException e) {
            // the store failed while waiting: go on without the lease, as after the wait's end
          }
        }
        try {
          boolean creating;
          try (CacheStore.Watched watched = store.watch(k)) {
            byte[] record = watched.value();
            if (record == null && lease == null && !waited && unknown.isEmpty()) {
              lease = flights.take(k);
              if (lease == null) {
                waited = true;
                waitNow = true;
                continue;
              }
            }
            for (Pending<T> pending : unknown) {
              if (pending.applied(record)) {
                // Applied although its reply was lost: not again, but reported exactly as a commit whose reply came.
                countInvoke(pending.entry);
                afterInvoke(pending.entry, pending.previous);
                return pending.result;
              }
            }
            // A creation under the lease runs its processor (often a slow load) with no connection held: below.
            creating = record == null && lease != null;
            if (!creating) {
              V current = values.decode(k, record);
              ProcessedEntry<K, V> entry = new ProcessedEntry<>(key, current, loader, values::checkValue);
              T result = process(entryProcessor, entry, arguments);
              Commit commit = commitOf(k, entry, current == null ? null : record);
              if (commit == null) {
                countInvoke(entry);
                afterInvoke(entry, current);
                return result;
              }
              writeThrough(entry);
              try {
                if (watched.commit(commit.record, commit.ttl)) {
                  countInvoke(entry);
                  if (commit.record != null && commit.ttl == Ttl.EXPIRE_NOW && current == null) {
                    return result; // created and expired at once: neither stored nor announced
                  }
                  afterInvoke(entry, current);
                  return result;
                }
              } catch (StoreException e) {
                if (e.outcomeUnknown()) {
                  unknown = new ArrayList<>(unknown);
                  unknown.add(new Pending<>(commit, entry, current, result));
                }
                throw e;
              }
            }
          }
          if (creating) {
            // The lease was given while the entry was absent: create it if it still is (SET NX), the lease given
            // back by the same script; a plain put meanwhile makes it a conflict, and the processor runs again.
            ProcessedEntry<K, V> entry = new ProcessedEntry<>(key, null, loader, values::checkValue);
            T result = process(entryProcessor, entry, arguments);
            Commit commit = commitOf(k, entry, null);
            if (commit == null) {
              countInvoke(entry);
              afterInvoke(entry, null);
              return result;
            }
            writeThrough(entry);
            boolean created;
            try {
              created = store.putIfAbsentReleasing(k, commit.record, commit.ttl, lease.token());
            } catch (StoreException e) {
              if (e.outcomeUnknown()) {
                unknown = new ArrayList<>(unknown);
                unknown.add(new Pending<>(commit, entry, null, result));
              }
              throw e;
            }
            lease.givenBack();
            lease = null;
            if (created) {
              countInvoke(entry);
              if (commit.ttl != Ttl.EXPIRE_NOW) {
                afterInvoke(entry, null);
              }
              return result;
            }
          }
          if (++conflicts > retries) {
            throw ConditionalWrites.contended(store.layout().cacheName(), retries);
          }
          Retries.backOff(conflicts);
        } catch (StoreException e) {
          // A failover, a moved slot or a dropped connection: the same budget as every other operation.
          if (!e.isTransient() || System.nanoTime() - deadline >= 0) {
            throw e;
          }
          Retries.pauseBeforeRetry(++failures, deadline);
        }
      }
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  /**
   * A commit whose reply was lost. It was applied when the entry now carries its record's stamp (a write), or is
   * absent where it existed (a removal); otherwise the invocation runs again on what is stored now. (Not seen:
   * a lost-reply write that was applied and then overwritten by another writer before this JVM read again; the
   * invocation then applies twice. See docs/decisions.md.)
   */
  private final class Pending<T> {
    final Commit commit;
    final ProcessedEntry<K, V> entry;
    final V previous;
    final T result;

    Pending(Commit commit, ProcessedEntry<K, V> entry, V previous, T result) {
      this.commit = commit;
      this.entry = entry;
      this.previous = previous;
      this.result = result;
    }

    boolean applied(byte[] stored) {
      if (commit.record() == null) {
        return stored == null && commit.expectedHeader() != null;
      }
      return stored != null && Arrays.equals(Record.header(stored), Record.header(commit.record()));
    }
  }

  private void countInvoke(ProcessedEntry<K, V> entry) {
    if (entry.existed()) {
      statistics.hits(1);
    } else {
      statistics.misses(1);
    }
  }

  /** The writer's part of an invocation, before its commit; a writer failure leaves the entry unchanged. */
  private void writeThrough(ProcessedEntry<K, V> entry) {
    try {
      if (entry.operation() == Operation.CREATE || entry.operation() == Operation.UPDATE) {
        writer.write(entry.getKey(), entry.value());
      } else if (entry.operation() == Operation.REMOVE) {
        writer.delete(entry.getKey());
      }
    } catch (CacheWriterException e) {
      throw new EntryProcessorException(e);
    }
  }

  /** Statistics and events of a committed invocation. */
  private void afterInvoke(ProcessedEntry<K, V> entry, V previous) {
    switch (entry.operation()) {
      case CREATE:
      case LOAD:
        statistics.puts(1);
        events.created(entry.getKey(), entry.value());
        break;
      case UPDATE:
        statistics.puts(1);
        events.updated(entry.getKey(), entry.value(), previous);
        break;
      case REMOVE:
        statistics.removals(1);
        if (previous != null) {
          events.removed(entry.getKey(), previous);
        }
        break;
      default:
        if (entry.removedAbsent()) {
          writer.delete(entry.getKey());
        }
        break;
    }
  }

  private <T> T process(EntryProcessor<K, V, T> processor, ProcessedEntry<K, V> entry, Object[] arguments) {
    try {
      return processor.process(entry, arguments);
    } catch (EntryProcessorException e) {
      throw e;
    } catch (Exception e) {
      throw new EntryProcessorException(e);
    }
  }

  /** What a processed entry must write, or null when nothing (an access TTL is applied here). */
  private Commit commitOf(byte[] k, ProcessedEntry<K, V> entry, byte[] record) {
    byte[] expectedHeader = record == null ? null : Record.header(record);
    switch (entry.operation()) {
      case CREATE:
      case LOAD:
        return new Commit(expectedHeader, values.encodeRecord(entry.getKey(), entry.value()), expiry.creation());
      case UPDATE:
        return new Commit(expectedHeader, values.encodeRecord(entry.getKey(), entry.value()), expiry.update());
      case REMOVE:
        return record == null ? null : new Commit(expectedHeader, null, Ttl.EXPIRE_NOW);
      case ACCESS:
        store.expire(k, expiry.access());
        return null;
      default:
        return null;
    }
  }

  private record Commit(byte[] expectedHeader, byte[] record, long ttl) {
  }

  /** invokeAll one key at a time: each with its writer, loader, listeners and statistics. */
  private <T> Map<K, EntryProcessorResult<T>> invokeEach(List<K> keys, List<byte[]> encoded,
      EntryProcessor<K, V, T> entryProcessor, Object[] arguments) {
    Map<K, EntryProcessorResult<T>> results = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      invokeInto(results, keys.get(i), encoded.get(i), entryProcessor, arguments);
    }
    return results;
  }

  /**
   * invokeAll of a cache without writer and loader: one batched read, the processors here, one batched
   * compare-and-set; conflicts go the single-key way. Listeners and statistics follow each entry, so while either
   * is on this is {@link #invokeEach}.
   */
  private <T> Map<K, EntryProcessorResult<T>> invokeBatched(List<K> keyList, List<byte[]> encoded,
      EntryProcessor<K, V, T> entryProcessor, Object[] arguments) {
    if (events.hasListeners() || statistics.isEnabled()) {
      return invokeEach(keyList, encoded, entryProcessor, arguments);
    }
    Map<K, EntryProcessorResult<T>> results = new LinkedHashMap<>();
    List<byte[]> records = store.getAll(encoded);
    List<Integer> toCommit = new ArrayList<>();
    List<byte[]> commitKeys = new ArrayList<>();
    List<byte[]> commitHeaders = new ArrayList<>();
    List<byte[]> commitRecords = new ArrayList<>();
    List<Long> commitTtls = new ArrayList<>();
    Map<Integer, T> pendingResults = new HashMap<>();
    for (int i = 0; i < keyList.size(); i++) {
      K key = keyList.get(i);
      byte[] record = records.get(i);
      V current = values.decode(encoded.get(i), record);
      if (current == null) {
        record = null;
      }
      ProcessedEntry<K, V> entry = new ProcessedEntry<>(key, current, loader, values::checkValue);
      T result;
      Commit commit;
      try {
        result = process(entryProcessor, entry, arguments);
        commit = commitOf(encoded.get(i), entry, record);
      } catch (RuntimeException e) {
        EntryProcessorException failure = e instanceof EntryProcessorException epe ? epe : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
        continue;
      }
      if (commit == null) {
        putResult(results, key, result);
        continue;
      }
      toCommit.add(i);
      commitKeys.add(encoded.get(i));
      commitHeaders.add(commit.expectedHeader);
      commitRecords.add(commit.record);
      commitTtls.add(commit.ttl);
      pendingResults.put(i, result);
    }
    if (!toCommit.isEmpty()) {
      long[] ttls = commitTtls.stream().mapToLong(Long::longValue).toArray();
      boolean[] applied = store.compareAndSetAll(commitKeys, commitHeaders, commitRecords, ttls);
      for (int j = 0; j < toCommit.size(); j++) {
        int i = toCommit.get(j);
        K key = keyList.get(i);
        if (applied[j] || isOwnWrite(commitKeys.get(j), commitRecords.get(j))) {
          putResult(results, key, pendingResults.get(i));
          continue;
        }
        invokeInto(results, key, encoded.get(i), entryProcessor, arguments);
      }
    }
    return results;
  }

  /** One invocation of an invokeAll: its result, or its failure for {@code EntryProcessorResult.get()}. */
  private <T> void invokeInto(Map<K, EntryProcessorResult<T>> results, K key, byte[] k,
      EntryProcessor<K, V, T> processor, Object[] arguments) {
    try {
      putResult(results, key, invoke(key, k, processor, arguments));
    } catch (EntryProcessorException e) {
      results.put(key, () -> {
        throw e;
      });
    }
  }

  /** After a failed batch commit: whether the stored record is the one we wrote (a lost reply). */
  private boolean isOwnWrite(byte[] k, byte[] record) {
    if (record == null) {
      return false;
    }
    byte[] current = store.get(k);
    return current != null && Arrays.equals(Record.header(current), Record.header(record));
  }

  private static <K, T> void putResult(Map<K, EntryProcessorResult<T>> results, K key, T result) {
    if (result != null) {
      results.put(key, () -> result);
    }
  }
}
