package dev.slotcache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * A listener of every event type that notes each event it hears as {@code "TYPE key value oldValue"} (the old
 * value of a creation shown as null), in the order heard. Thread-safe.
 */
public final class EventLog implements CacheEntryCreatedListener<Object, Object>,
    CacheEntryUpdatedListener<Object, Object>, CacheEntryRemovedListener<Object, Object>,
    CacheEntryExpiredListener<Object, Object> {

  private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

  /** A listener configuration that registers this log. */
  public <K, V> MutableCacheEntryListenerConfiguration<K, V> configuration(boolean oldValueRequired,
      boolean synchronous) {
    return new MutableCacheEntryListenerConfiguration<>(
        new FactoryBuilder.SingletonFactory<CacheEntryListener<? super K, ? super V>>(this), null, oldValueRequired,
        synchronous);
  }

  /** The next event heard, waiting up to {@code millis}; null when none came. */
  public String poll(long millis) throws InterruptedException {
    return heard.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Every event heard and not taken yet; takes them. */
  public List<String> take() {
    List<String> events = new ArrayList<>();
    heard.drainTo(events);
    return events;
  }

  @Override
  public void onCreated(Iterable<CacheEntryEvent<?, ?>> events) {
    note(events);
  }

  @Override
  public void onUpdated(Iterable<CacheEntryEvent<?, ?>> events) {
    note(events);
  }

  @Override
  public void onRemoved(Iterable<CacheEntryEvent<?, ?>> events) {
    note(events);
  }

  @Override
  public void onExpired(Iterable<CacheEntryEvent<?, ?>> events) {
    note(events);
  }

  private void note(Iterable<CacheEntryEvent<?, ?>> events) {
    for (CacheEntryEvent<?, ?> event : events) {
      heard.add(event.getEventType() + " " + event.getKey() + " " + event.getValue() + " "
          + (event.getEventType() == EventType.CREATED ? null : event.getOldValue()));
    }
  }
}
