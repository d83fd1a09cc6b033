package dev.slotcache.internal.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.management.MBeans;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.management.JMX;
import org.junit.jupiter.api.Test;

/**
 * The near cache on the shared cluster: two managers on one namespace, A with a near cache, B without (as two JVMs),
 * plus raw Jedis as any other client.
 */
class NearCacheTest extends ClusterTest {

  private static final long STALE_BOUND_MILLIS = 100;

  @Override
  protected Properties managerProperties() {
    return properties("slotcache.near-cache.max-entries", "1000", "slotcache.statistics", "true");
  }

  private Cache<String, String> other(String name) {
    CacheManager b = secondJvm(clusterUri(namespace));
    return b.getCache(name, String.class, String.class);
  }

  /**
   * Reads {@code key} until a read is served from memory. The invalidation of this JVM's own write arrives from Redis
   * a little after the write returned and may void the first entry filled after it; a later read fills for good.
   */
  static <K> void warm(Cache<K, ?> cache, K key) throws InterruptedException {
    NearCacheBeanReader near = nearBean(cache);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    long hits = near.get("Hits");
    cache.get(key);
    while (near.get("Hits") == hits) {
      assertTrue(System.nanoTime() < deadline, "no read of " + key + " was served from memory");
      Thread.sleep(2);
      cache.get(key);
    }
  }

  static NearCacheBeanReader nearBean(Cache<?, ?> cache) {
    NearCacheBeanReader bean = NearCacheBeanReader.of(cache);
    assertTrue(bean.registered(), "cache " + cache.getName() + " has a near cache");
    return bean;
  }

  @Test
  void aRepeatedReadIsServedFromMemory_andCountedAsOneHit() throws Exception {
    Cache<String, String> a = stringCache("hot");
    a.put("k", "v");
    NearCacheBeanReader near = nearBean(a);
    warm(a, "k");
    long reads = near.get("Hits") + near.get("Misses");
    long remoteHitsBefore = near.get("Hits");
    for (int i = 0; i < 10; i++) {
      assertEquals("v", a.get("k"));
    }
    assertEquals(remoteHitsBefore + 10, near.get("Hits"), "served from memory");
    javax.cache.management.CacheStatisticsMXBean statistics = JMX.newMXBeanProxy(
        ManagementFactory.getPlatformMBeanServer(),
        MBeans.name(MBeans.Kind.CacheStatistics, a.getCacheManager().getURI(), a.getName()),
        javax.cache.management.CacheStatisticsMXBean.class);
    assertEquals(reads + 10, statistics.getCacheHits(), "each read is one hit, whichever tier served it");
    assertEquals(0, statistics.getCacheMisses());
  }

  @Test
  void readYourWrites_inTheSameJvm() {
    Cache<String, String> a = stringCache("own");
    a.put("k", "v1");
    assertEquals("v1", a.get("k"));
    a.put("k", "v2");
    assertEquals("v2", a.get("k"), "a put voids the held entry before it returns");
    a.remove("k");
    assertNull(a.get("k"));
    a.put("k", "v3");
    assertEquals("v3", a.get("k"));
    a.invoke("k", (entry, args) -> {
      entry.setValue("v4");
      return null;
    });
    assertEquals("v4", a.get("k"));
    a.replace("k", "v4", "v5");
    assertEquals("v5", a.get("k"));
    a.putAll(Map.of("k", "v6"));
    assertEquals("v6", a.get("k"));
    a.clear();
    assertNull(a.get("k"));
  }

  @Test
  @SuppressWarnings({"rawtypes", "unchecked"})
  void mutableValuesAreCopied_immutableOnesShared() throws Exception {
    Cache<String, ArrayList> a = manager.createCache("lists",
        new MutableConfiguration<String, ArrayList>().setTypes(String.class, ArrayList.class));
    a.put("k", new ArrayList<>(List.of("x")));
    warm(a, "k");
    long hits = nearBean(a).get("Hits");
    ArrayList<?> first = a.get("k");
    ArrayList<?> second = a.get("k");
    assertEquals(hits + 2, nearBean(a).get("Hits"), "both reads from memory");
    assertNotSame(first, second, "store-by-value: each hit is a copy");
    first.clear();
    assertEquals(List.of("x"), a.get("k"), "changing a returned value changes nothing held");

    Cache<String, String> strings = stringCache("strings");
    strings.put("k", "v");
    warm(strings, "k");
    assertSame(strings.get("k"), strings.get("k"), "an immutable value is shared");
  }

  @Test
  void writesElsewhereAreSeen_withinTheBound() throws Exception {
    Cache<String, String> a = stringCache("shared");
    Cache<String, String> b = other("shared");
    b.put("k", "0");
    assertEquals("0", a.get("k"));
    // B writes increasing numbers; each read of A must not return one older than a write B had acknowledged more
    // than the bound before the read began.
    Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger latest = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      for (int i = 1; !stop.get(); i++) {
        b.put("k", Integer.toString(i));
        acknowledged.put(i, System.nanoTime());
        latest.set(i);
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    writer.start();
    List<String> stale = new ArrayList<>();
    long reads = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try {
      while (System.nanoTime() < end) {
        long began = System.nanoTime();
        int seen = Integer.parseInt(a.get("k"));
        reads++;
        for (int j = seen + 1; j <= latest.get(); j++) {
          Long ack = acknowledged.get(j);
          if (ack != null && began - ack > TimeUnit.MILLISECONDS.toNanos(STALE_BOUND_MILLIS)) {
            stale.add("read " + seen + " although " + j + " was acknowledged "
                + TimeUnit.NANOSECONDS.toMillis(began - ack) + " ms before the read");
            break;
          }
        }
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertTrue(stale.isEmpty(), stale.size() + " stale reads of " + reads + ", first: " + stale.stream().findFirst());
    assertTrue(nearBean(a).get("Hits") > 0, "some reads were served from memory");
    assertTrue(nearBean(a).get("Invalidations") > 0);
  }

  private static NearCacheBeanReader nearBeanOrNull(Cache<?, ?> cache) {
    NearCacheBeanReader bean = NearCacheBeanReader.of(cache);
    return bean.registered() ? bean : null;
  }

  @Test
  void rawDelAndSetFromAnotherClient_invalidate() throws Exception {
    Cache<String, String> a = stringCache("raw");
    a.put("k", "v1");
    a.put("template", "v2");
    assertEquals("v1", a.get("k"));
    assertEquals("v1", a.get("k"));
    byte[] record = raw.get(redisKey(a, "template"));
    raw.set(redisKey(a, "k"), record);
    assertEquals("v2", awaitValue(a, "k", "v2"), "a raw SET invalidates");
    raw.del(redisKey(a, "k"));
    assertNull(awaitValue(a, "k", null), "a raw DEL invalidates");
  }

  /** Reads until {@code wanted} comes back (or the bound passes); returns the last value read. */
  static String awaitValue(Cache<String, String> cache, String key, String wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALE_BOUND_MILLIS);
    String value = cache.get(key);
    while (!java.util.Objects.equals(value, wanted) && System.nanoTime() < deadline) {
      Thread.sleep(1);
      value = cache.get(key);
    }
    return value;
  }

  @Test
  void anEntryLivesNoLongerThanItsTtlInRedis() throws Exception {
    Cache<String, String> a = manager.createCache("ttl", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 600))));
    a.put("k", "v");
    warm(a, "k");
    long ttlLeft = pttl(a, "k");
    Thread.sleep(ttlLeft + 5);
    assertNull(a.get("k"), "expired in memory when it expires in Redis");
  }

  @Test
  void maxTtlBoundsALocalEntry() throws Exception {
    Cache<String, String> a = manager.createCache("bounded", new SlotcacheConfiguration<String, String>()
        .setNearCacheMaxTtl(java.time.Duration.ofMillis(200)).setTypes(String.class, String.class));
    a.put("k", "v");
    warm(a, "k");
    long fills = nearBean(a).get("Fills");
    Thread.sleep(250);
    a.get("k");
    assertEquals(fills + 1, nearBean(a).get("Fills"), "read from Redis again after max-ttl");
  }

  @Test
  void getAllServesWhatIsHeld_andFetchesOnlyTheRest() throws Exception {
    Cache<String, String> a = stringCache("batch");
    a.putAll(Map.of("a", "1", "b", "2", "c", "3"));
    warm(a, "a");
    warm(a, "b");
    NearCacheBeanReader near = nearBean(a);
    long hits = near.get("Hits");
    long fills = near.get("Fills");
    assertEquals(Map.of("a", "1", "b", "2", "c", "3"), a.getAll(Set.of("a", "b", "c")));
    assertEquals(hits + 2, near.get("Hits"), "a and b from memory");
    assertEquals(fills + 1, near.get("Fills"), "only c read from Redis, and kept");
  }

  @Test
  void accessExpiryCaches_goWithoutANearCache() {
    Cache<String, String> touched = manager.createCache("touched", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(TouchedExpiryPolicy.factoryOf(Duration.ONE_MINUTE)));
    assertNull(nearBeanOrNull(touched));
    touched.put("k", "v");
    assertEquals("v", touched.get("k"));
    assertTrue(pttl(touched, "k") > 0);
  }

  @Test
  void perCacheZeroTurnsItOff() {
    CacheManager m = openManager(clusterUri(namespace + "-off"), properties("slotcache.near-cache.max-entries", "10",
        "slotcache.cache.cold.near-cache.max-entries", "0"));
    Cache<String, String> cold = m.createCache("cold",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    Cache<String, String> warm = m.createCache("warm",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    assertNull(nearBeanOrNull(cold));
    assertEquals(10, nearBean(warm).get("MaxEntries"));
    assertNotEquals(null, warm);
  }

  @Test
  void theLocalTierIsBoundedByEntries() throws Exception {
    CacheManager m = openManager(clusterUri(namespace + "-small"),
        properties("slotcache.near-cache.max-entries", "50"));
    Cache<String, String> small = m.createCache("small",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    for (int i = 0; i < 500; i++) {
      small.put("k" + i, "v");
      small.get("k" + i);
    }
    AtomicLong size = new AtomicLong(nearBean(small).get("Size"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (size.get() > 50 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      size.set(nearBean(small).get("Size"));
    }
    assertTrue(size.get() <= 50, "held " + size.get());
  }
}
