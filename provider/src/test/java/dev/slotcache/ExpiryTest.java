package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.store.SegmentedKeyLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.Test;

/** Expiry policies become native Redis TTLs (checked with PTTL), called exactly as the spec says. */
class ExpiryTest extends ClusterTest {

  private static final Duration MINUTE = new Duration(TimeUnit.MINUTES, 1);
  private static final Duration HOUR = new Duration(TimeUnit.HOURS, 1);

  @Test
  void eternal_storesWithoutTtl() {
    Cache<String, String> cache = manager.createCache("eternal", new MutableConfiguration<>());
    cache.put("k", "v");
    assertEquals(-1, pttl("eternal", "k"));
  }

  @Test
  void created_setsTtlOnCreation_andKeepsItOnUpdate() {
    Cache<String, String> cache = manager.createCache("created", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(MINUTE)));
    cache.put("k", "v1");
    long first = pttl("created", "k");
    assertTrue(first > 50_000 && first <= 60_000, "pttl " + first);
    raw.pexpire(redisKey("created", "k"), 30_000);
    cache.put("k", "v2");
    long afterUpdate = pttl("created", "k");
    assertTrue(afterUpdate <= 30_000 && afterUpdate > 20_000, "update keeps the TTL, pttl " + afterUpdate);
    assertEquals("v2", cache.get("k"));
  }

  @Test
  void modified_resetsTtlOnUpdate() {
    Cache<String, String> cache = manager.createCache("modified", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(HOUR)));
    cache.put("k", "v1");
    raw.pexpire(redisKey("modified", "k"), 30_000);
    cache.put("k", "v2");
    assertTrue(pttl("modified", "k") > 3_000_000);
  }

  @Test
  void accessed_getExtendsTtl() {
    Cache<String, String> cache = manager.createCache("accessed", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(AccessedExpiryPolicy.factoryOf(HOUR)));
    cache.put("k", "v");
    raw.pexpire(redisKey("accessed", "k"), 30_000);
    assertEquals("v", cache.get("k"));
    assertTrue(pttl("accessed", "k") > 3_000_000);
    raw.pexpire(redisKey("accessed", "k"), 30_000);
    assertEquals(Map.of("k", "v"), cache.getAll(Set.of("k")));
    assertTrue(pttl("accessed", "k") > 3_000_000);
  }

  @Test
  void shortTtl_entryDisappearsFromRedis() throws InterruptedException {
    Cache<String, String> cache = manager.createCache("short", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 50))));
    cache.put("k", "v");
    long deadline = System.currentTimeMillis() + 5_000;
    while (cache.containsKey("k") && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertFalse(cache.containsKey("k"));
    assertNull(raw.get(redisKey("short", "k")));
  }

  @Test
  void zeroOnCreation_isNeverStored() {
    Cache<String, String> cache = manager.createCache("zero", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ZERO)));
    cache.put("k", "v");
    assertFalse(cache.containsKey("k"));
    assertTrue(cache.putIfAbsent("k2", "v"));
    assertFalse(cache.containsKey("k2"));
  }

  @Test
  void customPolicy_isCalledOnlyForTheOperationsTheSpecNames() {
    CountingPolicy.reset();
    Cache<String, String> cache = manager.createCache("counted", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(FactoryBuilder.factoryOf(CountingPolicy.class)));
    cache.put("k", "v1");
    assertCounts(1, 0, 0);
    cache.put("k", "v2");
    assertCounts(1, 1, 0);
    cache.get("k");
    assertCounts(1, 1, 1);
    cache.get("missing");
    cache.containsKey("k");
    cache.remove("missing");
    assertCounts(1, 1, 1);
    assertFalse(cache.putIfAbsent("k", "v3"));
    assertCounts(1, 1, 1);
    assertFalse(cache.replace("missing", "x"));
    assertCounts(1, 1, 1);
    assertTrue(cache.replace("k", "v2", "v4"));
    assertCounts(1, 2, 1);
    assertTrue(pttl("counted", "k") > 3_000_000, "update returned null: the creation TTL stays");
    assertFalse(cache.replace("k", "nope", "v5"));
    assertCounts(1, 2, 2);
    cache.getAndRemove("k");
    assertCounts(1, 2, 2);
  }

  @Test
  void declarativeSettings_giveAnUnconfiguredCacheItsTtlAndSegments() {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("slotcache.cache.declared.expire-after-write", "90s");
    properties.setProperty("slotcache.cache.declared.segments", "32");
    var declared = new dev.slotcache.spi.SlotcacheCachingProvider().getCacheManager(clusterUri(namespace + "-d"),
        getClass().getClassLoader(), properties);
    try {
      Cache<String, String> cache = declared.createCache("declared", new MutableConfiguration<>());
      cache.put("k", "v");
      assertEquals(32, SlotcacheConfiguration.of(cache).getSegments());
      long ttl = raw.pttl(new SegmentedKeyLayout(namespace + "-d", "declared", 32)
          .redisKey("k".getBytes(StandardCharsets.UTF_8)));
      assertTrue(ttl > 80_000 && ttl <= 90_000, "pttl " + ttl);
      declared.destroyCache("declared");
    } finally {
      declared.close();
    }
  }

  private void assertCounts(int creation, int update, int access) {
    assertEquals(creation, CountingPolicy.CREATION.get(), "creation calls");
    assertEquals(update, CountingPolicy.UPDATE.get(), "update calls");
    assertEquals(access, CountingPolicy.ACCESS.get(), "access calls");
  }

  private long pttl(String cacheName, String key) {
    return raw.pttl(redisKey(cacheName, key));
  }

  private byte[] redisKey(String cacheName, String key) {
    int segments = SlotcacheConfiguration.of(manager.getCache(cacheName)).getSegments();
    return new SegmentedKeyLayout(namespace, cacheName, segments).redisKey(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Counts calls; creation one hour, update and access unchanged. */
  public static final class CountingPolicy implements ExpiryPolicy {
    static final AtomicInteger CREATION = new AtomicInteger();
    static final AtomicInteger UPDATE = new AtomicInteger();
    static final AtomicInteger ACCESS = new AtomicInteger();

    static void reset() {
      CREATION.set(0);
      UPDATE.set(0);
      ACCESS.set(0);
    }

    @Override
    public Duration getExpiryForCreation() {
      CREATION.incrementAndGet();
      return HOUR;
    }

    @Override
    public Duration getExpiryForAccess() {
      ACCESS.incrementAndGet();
      return null;
    }

    @Override
    public Duration getExpiryForUpdate() {
      UPDATE.incrementAndGet();
      return null;
    }
  }
}
