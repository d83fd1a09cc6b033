package dev.slotcache.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.slotcache.LogCapture;
import dev.slotcache.SlotcacheCacheManager;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.io.Serializable;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A write that succeeded stays a success when telling other JVMs about it fails: pub/sub is at most once, so the
 * lost event is counted and logged, and this JVM's own listeners still hear it.
 */
@ExtendWith(RedisClusterExtension.class)
class PublishFailureTest {

  private static final AtomicInteger HEARD_HERE = new AtomicInteger();

  @Test
  void put_publishRefused_succeedsRunsLocalListenersAndCountsTheLostEvent(LocalRedisCluster cluster)
      throws Exception {
    cluster.setAclUser("nopub", "reset", "on", ">pw", "~*", "&*", "+@all", "-publish");
    String namespace = "/pubfail-" + UUID.randomUUID().toString().substring(0, 8);
    String seeds = cluster.uri().substring("redis://".length());
    HEARD_HERE.set(0);
    try (LogCapture log = new LogCapture();
        CacheManager writerSide = new SlotcacheCachingProvider().getCacheManager(
            URI.create("redis://nopub:pw@" + seeds + namespace), getClass().getClassLoader());
        CacheManager listenerSide = new SlotcacheCachingProvider().getCacheManager(
            URI.create(cluster.uri() + namespace), getClass().getClassLoader())) {
      Cache<String, String> writer = writerSide.createCache("orders",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class)
              .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                  FactoryBuilder.factoryOf(CountHere.class), null, false, true)));
      listenerSide.getCache("orders", String.class, String.class).registerCacheEntryListener(
          new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(Ignore.class), null, false, false));
      SlotcacheCacheManager writerManager = writerSide.unwrap(SlotcacheCacheManager.class);

      // The writer publishes once it has seen the other side's listener lease (within about a second).
      int puts = 0;
      long deadline = System.currentTimeMillis() + 10_000;
      while (writerManager.eventPublishFailures() == 0 && System.currentTimeMillis() < deadline) {
        writer.put("k" + puts, "v");
        puts++;
        assertEquals(puts, HEARD_HERE.get(), "this JVM's synchronous listener ran for every put");
        Thread.sleep(50);
      }
      assertTrue(writerManager.eventPublishFailures() > 0, "the refused PUBLISH is counted");
      assertEquals("v", writer.get("k" + (puts - 1)), "the write happened");
      assertTrue(log.has(Level.WARN, m -> m.contains("cache 'orders'") && m.contains("could not be published")
          && m.contains("so far: ")), log.all());
      assertTrue(!log.all().contains(">pw") && !log.all().contains(":pw@"), log.all());

      // Rate-limited: many more failures, no more warnings than one per interval.
      long warningsBefore = log.messages(Level.WARN).stream().filter(m -> m.contains("could not be published")).count();
      long failuresBefore = writerManager.eventPublishFailures();
      for (int i = 0; i < 20; i++) {
        writer.put("more" + i, "v");
      }
      assertEquals(failuresBefore + 20, writerManager.eventPublishFailures());
      assertEquals(warningsBefore,
          log.messages(Level.WARN).stream().filter(m -> m.contains("could not be published")).count());
      writerSide.destroyCache("orders");
    } finally {
      cluster.deleteAclUser("nopub");
    }
  }

  /** Counts the creations this JVM hears, synchronously. */
  public static final class CountHere implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      events.forEach(e -> HEARD_HERE.incrementAndGet());
    }
  }

  /** A listener in the other JVM, so that the writer publishes. */
  public static final class Ignore implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      // only its presence matters
    }
  }
}
