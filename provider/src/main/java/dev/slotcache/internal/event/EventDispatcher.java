package dev.slotcache.internal.event;

import dev.slotcache.internal.UserResources;
import java.io.Closeable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * The entry listeners of one cache in this JVM, and delivery of the events this JVM's operations cause.
 *
 * <p>Synchronous listeners run on the calling thread before the operation returns; their exceptions reach the
 * caller as {@link CacheEntryListenerException}. Asynchronous listeners run on one daemon thread per cache, in
 * the order the events were raised. A filter runs where its listener runs. Thread-safe.
 */
public final class EventDispatcher<K, V> {

  private final String cacheName;
  private final RemoteSink<K, V> remote;
  private volatile Cache<K, V> source;
  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
  private volatile ExecutorService async;
  private volatile boolean closed;

  /** Where events go for listeners in other JVMs. */
  public interface RemoteSink<K, V> {
    /** Whether another JVM listens on this cache now. */
    boolean othersListen();

    /**
     * Sends an event this JVM caused to the other JVMs. Does not throw when the send fails (pub/sub is at most
     * once; the sink counts and logs the loss), so this JVM's listeners always hear the event.
     */
    void publish(EventType type, K key, V value, V oldValue);
  }

  /** A dispatcher for {@code cacheName}; {@link #bind} names the cache that events come from before any is raised. */
  public EventDispatcher(String cacheName, RemoteSink<K, V> remote) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.remote = Objects.requireNonNull(remote, "remote");
  }

  /** The cache events come from ({@code CacheEntryEvent.getSource()}); set once, by the cache itself. */
  public void bind(Cache<K, V> cache) {
    this.source = Objects.requireNonNull(cache, "cache");
  }

  /** Adds a listener; {@link IllegalArgumentException} when this configuration is registered already. */
  public void register(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    synchronized (registrations) {
      for (Registration<K, V> registration : registrations) {
        if (registration.configuration.equals(configuration)) {
          throw new IllegalArgumentException("this listener configuration is registered already");
        }
      }
      registrations.add(new Registration<>(configuration));
    }
  }

  /**
   * Removes a listener, closing it and its filter when they are {@link Closeable} (a failure to close is logged,
   * see {@link UserResources}); unknown configurations are ignored.
   */
  public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    Objects.requireNonNull(configuration, "configuration");
    UserResources closing = new UserResources(cacheName);
    synchronized (registrations) {
      for (Registration<K, V> registration : registrations) {
        if (registration.configuration.equals(configuration)) {
          registrations.remove(registration);
          registration.close(closing);
          break;
        }
      }
    }
    closing.warnOfFailures();
  }

  /** Whether any listener wants events of {@code type}: only then do operations fetch what the event needs. */
  public boolean listensTo(EventType type) {
    if (remote.othersListen()) {
      return true;
    }
    for (Registration<K, V> registration : registrations) {
      if (registration.accepts(type)) {
        return true;
      }
    }
    return false;
  }

  /** Whether any listener at all is registered. */
  public boolean hasListeners() {
    return !registrations.isEmpty();
  }

  public void created(K key, V value) {
    dispatch(EventType.CREATED, key, value, null, true);
  }

  public void updated(K key, V value, V oldValue) {
    dispatch(EventType.UPDATED, key, value, oldValue, true);
  }

  public void removed(K key, V oldValue) {
    dispatch(EventType.REMOVED, key, oldValue, oldValue, true);
  }

  /** An entry Redis expired; the value is gone, so the event carries none. */
  public void expired(K key) {
    dispatch(EventType.EXPIRED, key, null, null, false);
  }

  /** An event another JVM caused, for this JVM's listeners only. */
  public void fromElsewhere(EventType type, K key, V value, V oldValue) {
    dispatch(type, key, value, oldValue, false);
  }

  private void dispatch(EventType type, K key, V value, V oldValue, boolean local) {
    if (closed) {
      return;
    }
    if (local && type != EventType.EXPIRED && remote.othersListen()) {
      remote.publish(type, key, value, oldValue);
    }
    if (registrations.isEmpty()) {
      return;
    }
    SlotcacheEntryEvent<K, V> event = new SlotcacheEntryEvent<>(source, type, key, value, oldValue);
    CacheEntryListenerException failure = null;
    for (Registration<K, V> registration : registrations) {
      if (!registration.accepts(type)) {
        continue;
      }
      if (registration.synchronous) {
        try {
          registration.deliver(event);
        } catch (CacheEntryListenerException e) {
          failure = failure == null ? e : suppress(failure, e);
        } catch (RuntimeException e) {
          CacheEntryListenerException wrapped = new CacheEntryListenerException(e);
          failure = failure == null ? wrapped : suppress(failure, wrapped);
        }
      } else {
        asyncExecutor().execute(() -> {
          try {
            registration.deliver(event);
          } catch (RuntimeException e) {
            // An asynchronous listener's failure has no caller to go to; the spec lets it be dropped.
          }
        });
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static CacheEntryListenerException suppress(CacheEntryListenerException first, RuntimeException next) {
    first.addSuppressed(next);
    return first;
  }

  private ExecutorService asyncExecutor() {
    ExecutorService executor = async;
    if (executor == null) {
      synchronized (this) {
        if (async == null) {
          String name = "slotcache-events-" + cacheName;
          ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
              runnable -> {
                Thread thread = new Thread(runnable, name);
                thread.setDaemon(true);
                return thread;
              });
          pool.allowCoreThreadTimeOut(true);
          async = pool;
        }
        executor = async;
      }
    }
    return executor;
  }

  /**
   * Closes every listener and filter through {@code closing} (which keeps their failures for the caller to
   * report) and stops the delivery thread.
   */
  public void close(UserResources closing) {
    closed = true;
    synchronized (registrations) {
      for (Registration<K, V> registration : registrations) {
        registration.close(closing);
      }
      registrations.clear();
    }
    ExecutorService executor = async;
    if (executor != null) {
      executor.shutdown();
    }
  }

  /** One registered listener with its filter and options. */
  private static final class Registration<K, V> {
    final CacheEntryListenerConfiguration<K, V> configuration;
    final CacheEntryListener<? super K, ? super V> listener;
    final CacheEntryEventFilter<? super K, ? super V> filter;
    final boolean synchronous;
    /** The listener's method for each event type it takes. */
    private final Map<EventType, Consumer<Iterable<CacheEntryEvent<? extends K, ? extends V>>>> methods =
        new EnumMap<>(EventType.class);

    Registration(CacheEntryListenerConfiguration<K, V> configuration) {
      this.configuration = configuration;
      Factory<CacheEntryListener<? super K, ? super V>> listenerFactory = configuration.getCacheEntryListenerFactory();
      if (listenerFactory == null) {
        throw new IllegalArgumentException("the listener configuration has no listener factory");
      }
      this.listener = listenerFactory.create();
      Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory = configuration.getCacheEntryEventFilterFactory();
      this.filter = filterFactory == null ? null : filterFactory.create();
      this.synchronous = configuration.isSynchronous();
      for (EventType type : EventType.values()) {
        Consumer<Iterable<CacheEntryEvent<? extends K, ? extends V>>> method = methodFor(type);
        if (method != null) {
          methods.put(type, method);
        }
      }
    }

    boolean accepts(EventType type) {
      return methods.containsKey(type);
    }

    void deliver(SlotcacheEntryEvent<K, V> event) {
      if (filter != null && !filter.evaluate(event)) {
        return;
      }
      methods.get(event.getEventType()).accept(List.of(event));
    }

    /** The listener's method for events of {@code type}, or null when it does not take them. */
    @SuppressWarnings("unchecked")
    private Consumer<Iterable<CacheEntryEvent<? extends K, ? extends V>>> methodFor(EventType type) {
      CacheEntryListener<K, V> typed = (CacheEntryListener<K, V>) listener;
      return switch (type) {
        case CREATED -> typed instanceof CacheEntryCreatedListener<K, V> created ? created::onCreated : null;
        case UPDATED -> typed instanceof CacheEntryUpdatedListener<K, V> updated ? updated::onUpdated : null;
        case REMOVED -> typed instanceof CacheEntryRemovedListener<K, V> removed ? removed::onRemoved : null;
        case EXPIRED -> typed instanceof CacheEntryExpiredListener<K, V> expired ? expired::onExpired : null;
      };
    }

    void close(UserResources closing) {
      closing.close("listener", listener);
      closing.close("filter", filter);
    }
  }
}
