package dev.slotcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.slotcache.internal.event.EventDispatcher;
import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.integration.ReadThrough;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.Record;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Early refresh of a read-through cache (refresh-ahead): a read that finds an entry with less than
 * {@code (1 - refresh-ahead)} of its TTL left returns the value it read and reloads the entry in the background.
 * One reload per key in the whole cluster: it runs in the key's write section ({@link SingleFlight#tryExclusive}),
 * skipped when another JVM's refresh (or a write) holds it, and re-reads the entry's TTL first, so an entry another
 * JVM has just refreshed is left alone. The reload replaces the entry only if it is still the one read (compare on
 * its stamp, with the creation TTL of a fresh load); a write meanwhile wins. A failing loader is logged and the
 * entry left to expire as it would have. In this JVM a key is tried at most once per half refresh window.
 */
final class RefreshAhead<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger("dev.slotcache.refresh");

  private final String cacheName;
  private final CacheStore store;
  private final EntryValues<K, V> values;
  private final ExpiryDecisions expiry;
  private final EventDispatcher<K, V> events;
  private final ReadThrough<K, V> loader;
  private final SingleFlight<V> flights;
  private final long windowMillis;
  private final Cache<ByteBuffer, Boolean> tried;
  private final AtomicLong refreshes = new AtomicLong();
  private final ThreadPoolExecutor executor;
  private volatile boolean closed;

  /** @param windowMillis a read finding less TTL than this left refreshes the entry */
  RefreshAhead(String cacheName, CacheStore store, EntryValues<K, V> values, ExpiryDecisions expiry,
      EventDispatcher<K, V> events, ReadThrough<K, V> loader, SingleFlight<V> flights, long windowMillis) {
    this.cacheName = cacheName;
    this.store = store;
    this.values = values;
    this.expiry = expiry;
    this.events = events;
    this.loader = loader;
    this.flights = flights;
    this.windowMillis = windowMillis;
    // A few threads, started only when needed, and a bounded queue: a refresh that finds no room is skipped (the
    // entry expires as usual).
    this.executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), runnable -> {
      Thread thread = new Thread(runnable, "slotcache-refresh-" + cacheName);
      thread.setDaemon(true);
      return thread;
    });
    executor.allowCoreThreadTimeOut(true);
    this.tried = Caffeine.newBuilder().expireAfterWrite(Duration.ofMillis(Math.max(1, windowMillis / 2)))
        .maximumSize(100_000).build();
  }

  /** A read found encoded key {@code k} with {@code ttlMillis} left (-1: none): refreshes it when that is little. */
  void read(byte[] k, long ttlMillis) {
    if (ttlMillis < 0 || ttlMillis > windowMillis || closed
        || tried.asMap().putIfAbsent(ByteBuffer.wrap(k), Boolean.TRUE) != null) {
      return;
    }
    try {
      executor.execute(() -> refresh(k));
    } catch (RejectedExecutionException e) {
      // closed, or 10,000 refreshes waiting: this one is skipped and the entry expires as it would have
    }
  }

  /** How many entries this JVM has refreshed. */
  long refreshes() {
    return refreshes.get();
  }

  private void refresh(byte[] k) {
    if (closed) {
      return; // the cache closed while this waited: its loader may be closed too
    }
    try {
      flights.tryExclusive(k, () -> {
        CacheStore.Timed current = store.getTimed(k);
        if (current == null || current.ttlMillis() < 0 || current.ttlMillis() > windowMillis) {
          return; // gone, or refreshed by another JVM meanwhile
        }
        K key = values.decodeKey(k);
        V value = loader.load(key);
        if (value == null) {
          return;
        }
        values.checkValue(value);
        if (store.compareAndSet(k, Record.header(current.record()), values.encodeRecord(key, value),
            expiry.creation())) {
          refreshes.incrementAndGet();
          events.updated(key, value, values.decodeQuietly(current.record()));
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("cache '{}': an early refresh failed; the entry expires as it would have: {}", cacheName,
          e.toString());
    }
  }

  /** Stops refreshing; a refresh under way finishes, queued ones are dropped. */
  void close() {
    closed = true;
    executor.shutdownNow();
  }
}
