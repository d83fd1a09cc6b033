package dev.slotcache.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.EventLog;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
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

  private final EventLog heard = new EventLog();

  private CacheManager writerSide;
  private CacheManager listenerSide;

  @BeforeEach
  void open(LocalRedisCluster cluster) {
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
    listening.registerCacheEntryListener(heard.configuration(true, true));
    // The writer learns of the listener within a lease renewal (about a second): keep creating until heard.
    long deadline = System.currentTimeMillis() + 10_000;
    String first = null;
    for (int i = 0; first == null && System.currentTimeMillis() < deadline; i++) {
      writer.put("probe" + i, "v");
      first = heard.poll(200);
    }
    assertTrue(first != null && first.startsWith("CREATED probe"), "no event reached the other JVM: " + first);
    drain();
    writer.put("k", "one");
    assertEquals("CREATED k one null", heard.poll(5_000));
    writer.put("k", "two");
    assertEquals("UPDATED k two one", heard.poll(5_000));
    writer.remove("k");
    assertEquals("REMOVED k two two", heard.poll(5_000));
    assertNull(heard.poll(300), "each event once");
  }

  @Test
  void entryExpiringInRedis_reachesAListenerInAJvmThatNeverTouchedIt() throws Exception {
    Cache<String, String> writer = writerSide.createCache("expiring", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 200))));
    Cache<String, String> listening = listenerSide.getCache("expiring", String.class, String.class);
    listening.registerCacheEntryListener(heard.configuration(false, false));
    // Subscriptions start in the background and pub/sub is at most once: write short-lived entries until one
    // of their expiries is heard.
    String expired = null;
    long deadline = System.currentTimeMillis() + 15_000;
    for (int i = 0; expired == null && System.currentTimeMillis() < deadline; i++) {
      writer.put("session" + i, "token");
      long until = System.currentTimeMillis() + 600;
      while (expired == null && System.currentTimeMillis() < until) {
        String event = heard.poll(100);
        if (event != null && event.startsWith("EXPIRED")) {
          expired = event;
        }
      }
    }
    assertTrue(expired != null && expired.matches("EXPIRED session\\d+ null null"), "heard: " + expired);
  }

  private void drain() throws InterruptedException {
    while (heard.poll(300) != null) {
      // events of the probes
    }
  }
}
