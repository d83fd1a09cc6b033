package dev.slotcache.internal.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.management.MBeans;
import dev.slotcache.testkit.Crowd;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.Test;

/**
 * Early refresh (refresh-ahead) of a hot entry read by two managers (as two JVMs) × 4 threads: it is reloaded in the
 * background before it expires, about once per life in the whole cluster, and no reader ever waits for a load.
 */
class RefreshAheadTest extends ClusterTest {

  /** Counts the loads made in a caller's thread (a miss) and on a refresh thread; each value is new. */
  public static final class CountingLoader implements CacheLoader<String, String>, java.io.Serializable {
    static final AtomicInteger IN_CALLERS = new AtomicInteger();
    static final AtomicInteger IN_BACKGROUND = new AtomicInteger();
    static volatile CountDownLatch gate;

    @Override
    public String load(String key) {
      boolean background = Thread.currentThread().getName().startsWith("slotcache-refresh-");
      int n = (background ? IN_BACKGROUND : IN_CALLERS).incrementAndGet();
      CountDownLatch wait = gate;
      if (background && wait != null) {
        try {
          wait.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return key + (background ? " refreshed " : " loaded ") + n;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      throw new UnsupportedOperationException();
    }
  }

  private static SlotcacheConfiguration<String, String> readThrough(long ttlMillis) {
    CountingLoader.IN_CALLERS.set(0);
    CountingLoader.IN_BACKGROUND.set(0);
    CountingLoader.gate = null;
    SlotcacheConfiguration<String, String> configuration = new SlotcacheConfiguration<>();
    configuration.setTypes(String.class, String.class).setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(CountingLoader.class))
        .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(
            new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttlMillis)));
    return configuration;
  }

  /** 4 threads per cache reading "hot" every 5 ms for {@code millis}; no read may come back empty. */
  private static void readHot(List<Cache<String, String>> caches, long millis) throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    Crowd.run(8, Duration.ofSeconds(30), t -> {
      while (System.nanoTime() < end) {
        assertTrue(caches.get(t % 2).get("hot").startsWith("hot "));
        Thread.sleep(5);
      }
    });
  }

  @Test
  void aHotEntry_isRefreshedBeforeItExpires_onceAtATimeAcrossTwoJvms() throws Exception {
    SlotcacheConfiguration<String, String> configuration = readThrough(1_000).setRefreshAhead(0.5);
    List<Cache<String, String>> caches = List.of(manager.createCache("hot", configuration),
        secondJvm(clusterUri(namespace)).createCache("hot", configuration));
    readHot(caches, 3_500);
    assertEquals(1, CountingLoader.IN_CALLERS.get(), "loads a reader waited for: only the first miss");
    int refreshes = CountingLoader.IN_BACKGROUND.get();
    // Each life is 1 s, refreshed once past its half: about one refresh per 0.5 to 1 s in the whole cluster.
    assertTrue(refreshes >= 3 && refreshes <= 8, "refreshes in 3.5 s: " + refreshes);
  }

  @Test
  void withoutRefreshAhead_theHotEntryExpires_andReadersWaitForLoads() throws Exception {
    SlotcacheConfiguration<String, String> configuration = readThrough(1_000);
    List<Cache<String, String>> caches = List.of(manager.createCache("expiring", configuration),
        secondJvm(clusterUri(namespace)).createCache("expiring", configuration));
    readHot(caches, 3_500);
    assertTrue(CountingLoader.IN_CALLERS.get() >= 3, "loads readers waited for: " + CountingLoader.IN_CALLERS.get());
    assertEquals(0, CountingLoader.IN_BACKGROUND.get());
  }

  @Test
  void withANearCache_hotReadsStayInMemory_andTheEntryIsStillRefreshedInTime() throws Exception {
    SlotcacheConfiguration<String, String> configuration = readThrough(1_000).setRefreshAhead(0.5);
    configuration.setNearCacheMaxEntries(100);
    List<Cache<String, String>> caches = List.of(manager.createCache("hotNear", configuration),
        secondJvm(clusterUri(namespace)).createCache("hotNear", configuration));
    readHot(caches, 3_500);
    assertEquals(1, CountingLoader.IN_CALLERS.get(), "loads a reader waited for: only the first miss");
    assertTrue(CountingLoader.IN_BACKGROUND.get() >= 3, "refreshes: " + CountingLoader.IN_BACKGROUND.get());
    long hits = (Long) java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
        MBeans.name(MBeans.Kind.NearCache, manager.getURI(), "hotNear"), "Hits");
    assertTrue(hits > 100, "reads answered from memory: " + hits);
  }

  @Test
  void aWriteWhileARefreshLoads_wins() throws Exception {
    Cache<String, String> cache = manager.createCache("written", readThrough(1_000).setRefreshAhead(0.1));
    CountingLoader.gate = new CountDownLatch(1);
    cache.put("k", "original");
    Thread.sleep(200);
    assertEquals("original", cache.get("k")); // 0.8 s left of 1 s: the refresh starts, and waits at the gate
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (CountingLoader.IN_BACKGROUND.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, CountingLoader.IN_BACKGROUND.get(), "the refresh is loading");
    cache.put("k", "written meanwhile");
    CountingLoader.gate.countDown();
    Thread.sleep(200);
    assertEquals("written meanwhile", cache.get("k"), "the refresh did not overwrite a newer write");
  }
}
