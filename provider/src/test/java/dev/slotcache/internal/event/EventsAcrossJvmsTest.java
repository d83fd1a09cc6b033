package dev.slotcache.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.io.Serializable;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two CacheManagers from two provider instances, each with its own connections and subscriptions, stand in
 * for two JVMs: listeners in one hear what the other does, and what Redis expires.
 */
@ExtendWith(RedisClusterExtension.class)
class EventsAcrossJvmsTest {

  private static final BlockingQueue<String> HEARD = new LinkedBlockingQueue<>();

  private CacheManager writerSide;
  private CacheManager listenerSide;

  @BeforeEach
  void open(LocalRedisCluster cluster) {
    HEARD.clear();
    URI uri = URI.create(cluster.uri() + "/x-" + UUID.randomUUID().toString().substring(0, 8));
    writerSide = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
    listenerSide = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
  }

  @AfterEach
  void close() {
    for (String name : writerSide.getCacheNames()) {
      writerSide.destroyCache(name);
    }
    writerSide.close();
    listenerSide.close();
  }

  @Test
  void listenerInOneJvm_hearsCreatesUpdatesAndRemovesOfAnother() throws Exception {
    Cache<String, String> writer = writerSide.createCache("shared", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class));
    Cache<String, String> listening = listenerSide.getCache("shared", String.class, String.class);
    listening.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Recorder.class), null, true, true));
    // The writer learns of the listener within a lease renewal (about a second): keep creating until heard.
    long deadline = System.currentTimeMillis() + 10_000;
    String first = null;
    for (int i = 0; first == null && System.currentTimeMillis() < deadline; i++) {
      writer.put("probe" + i, "v");
      first = HEARD.poll(200, TimeUnit.MILLISECONDS);
    }
    assertTrue(first != null && first.startsWith("CREATED probe"), "no event reached the other JVM: " + first);
    drain();
    writer.put("k", "one");
    assertEquals("CREATED k one null", HEARD.poll(5, TimeUnit.SECONDS));
    writer.put("k", "two");
    assertEquals("UPDATED k two one", HEARD.poll(5, TimeUnit.SECONDS));
    writer.remove("k");
    assertEquals("REMOVED k two two", HEARD.poll(5, TimeUnit.SECONDS));
    assertNull(HEARD.poll(300, TimeUnit.MILLISECONDS), "each event once");
  }

  @Test
  void entryExpiringInRedis_reachesAListenerInAJvmThatNeverTouchedIt() throws Exception {
    Cache<String, String> writer = writerSide.createCache("expiring", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 200))));
    Cache<String, String> listening = listenerSide.getCache("expiring", String.class, String.class);
    listening.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Recorder.class), null, false, false));
    // Subscriptions start in the background and pub/sub is at most once: write short-lived entries until one
    // of their expiries is heard.
    String expired = null;
    long deadline = System.currentTimeMillis() + 15_000;
    for (int i = 0; expired == null && System.currentTimeMillis() < deadline; i++) {
      writer.put("session" + i, "token");
      long until = System.currentTimeMillis() + 600;
      while (expired == null && System.currentTimeMillis() < until) {
        String event = HEARD.poll(100, TimeUnit.MILLISECONDS);
        if (event != null && event.startsWith("EXPIRED")) {
          expired = event;
        }
      }
    }
    assertTrue(expired != null && expired.matches("EXPIRED session\\d+ null null"), "heard: " + expired);
  }

  private static void drain() throws InterruptedException {
    while (HEARD.poll(300, TimeUnit.MILLISECONDS) != null) {
      // events of the probes
    }
  }

  /** Writes every event it hears as "TYPE key value oldValue". */
  public static final class Recorder implements CacheEntryCreatedListener<String, String>,
      CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>,
      CacheEntryExpiredListener<String, String>, Serializable {

    private static final long serialVersionUID = 1L;

    private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      for (CacheEntryEvent<? extends String, ? extends String> event : events) {
        HEARD.add(event.getEventType() + " " + event.getKey() + " " + event.getValue() + " "
            + (event.getEventType() == EventType.CREATED ? null : event.getOldValue()));
      }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      record(events);
    }
  }
}
