package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a cache closes the user's loader, writer, expiry policy, listeners and filters; one that fails to close
 * is logged at WARN and does not stop the others or the close.
 */
class CloseFailuresTest extends ClusterTest {

  static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();
  static final AtomicInteger CREATED_EVENTS = new AtomicInteger();

  @BeforeEach
  void reset() {
    CLOSED.clear();
    CREATED_EVENTS.set(0);
  }

  private MutableConfiguration<String, String> everything() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class)
        .setReadThrough(true).setCacheLoaderFactory(FactoryBuilder.factoryOf(FailingLoader.class))
        .setWriteThrough(true).setCacheWriterFactory(FactoryBuilder.factoryOf(ClosingWriter.class))
        .setExpiryPolicyFactory(FactoryBuilder.factoryOf(ClosingExpiry.class))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(FailingListener.class), FactoryBuilder.factoryOf(ClosingFilter.class), false, true))
        .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
            FactoryBuilder.factoryOf(ClosingListener.class), null, false, true));
  }

  @Test
  void close_loaderAndListenerFailToClose_logsAWarning_andClosesTheRest() {
    Cache<String, String> cache = manager.createCache("closing", everything());
    cache.put("k", "v");
    try (LogCapture log = new LogCapture()) {
      cache.close();
      assertTrue(cache.isClosed());
      assertEquals(Set.of("writer", "expiry", "filter", "listener"), CLOSED);
      assertTrue(log.has(Level.WARN, m -> m.contains("cache 'closing': closing its") && m.contains("loader")
          && m.contains("listener") && m.contains("failed")), log.all());
    }
    manager.destroyCache("closing");
  }

  @Test
  void destroyCache_loaderAndListenerFailToClose_logsAWarning_andDestroys() {
    manager.createCache("destroyed", everything()).put("k", "v");
    try (LogCapture log = new LogCapture()) {
      manager.destroyCache("destroyed");
      assertEquals(Set.of("writer", "expiry", "filter", "listener"), CLOSED);
      assertTrue(log.has(Level.WARN, m -> m.contains("cache 'destroyed': closing its") && m.contains("loader")),
          log.all());
    }
    assertEquals(null, manager.getCache("destroyed"));
  }

  @Test
  void deregisterCacheEntryListener_listenerFailsToClose_logsAWarning_andRemovesIt() {
    Cache<String, String> cache = manager.createCache("deregistered",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    MutableCacheEntryListenerConfiguration<String, String> failing = new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(FailingListener.class), FactoryBuilder.factoryOf(ClosingFilter.class), false, true);
    cache.registerCacheEntryListener(failing);
    cache.put("a", "1");
    assertEquals(1, CREATED_EVENTS.get());
    try (LogCapture log = new LogCapture()) {
      cache.deregisterCacheEntryListener(failing);
      assertEquals(Set.of("filter"), CLOSED);
      assertTrue(log.has(Level.WARN, m -> m.contains("cache 'deregistered': closing its listener failed")),
          log.all());
    }
    cache.put("b", "2");
    assertEquals(1, CREATED_EVENTS.get());
  }

  public static final class FailingLoader implements CacheLoader<String, String>, Closeable {
    @Override
    public String load(String key) {
      return null;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      return Map.of();
    }

    @Override
    public void close() throws IOException {
      throw new IOException("the loader cannot close");
    }
  }

  public static final class ClosingWriter implements CacheWriter<String, String>, Closeable {
    @Override
    public void write(Cache.Entry<? extends String, ? extends String> entry) {
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
    }

    @Override
    public void delete(Object key) {
    }

    @Override
    public void deleteAll(Collection<?> keys) {
    }

    @Override
    public void close() {
      CLOSED.add("writer");
    }
  }

  public static final class ClosingExpiry implements ExpiryPolicy, Closeable {
    @Override
    public Duration getExpiryForCreation() {
      return Duration.ETERNAL;
    }

    @Override
    public Duration getExpiryForAccess() {
      return null;
    }

    @Override
    public Duration getExpiryForUpdate() {
      return null;
    }

    @Override
    public void close() {
      CLOSED.add("expiry");
    }
  }

  public static final class FailingListener implements CacheEntryCreatedListener<String, String>, Closeable {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> CREATED_EVENTS.incrementAndGet());
    }

    @Override
    public void close() {
      throw new IllegalStateException("the listener cannot close");
    }
  }

  public static final class ClosingListener implements CacheEntryCreatedListener<String, String>, Closeable {
    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
    }

    @Override
    public void close() {
      CLOSED.add("listener");
    }
  }

  public static final class ClosingFilter implements CacheEntryEventFilter<String, String>, Closeable {
    @Override
    public boolean evaluate(CacheEntryEvent<? extends String, ? extends String> event) {
      return true;
    }

    @Override
    public void close() {
      CLOSED.add("filter");
    }
  }
}
