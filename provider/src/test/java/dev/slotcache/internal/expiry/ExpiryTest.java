package dev.slotcache.internal.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.Factory;
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
    assertEquals(-1, pttl(cache, "k"));
  }

  @Test
  void created_setsTtlOnCreation_andKeepsItOnUpdate() {
    Cache<String, String> cache = expiringCache("created", CreatedExpiryPolicy.factoryOf(MINUTE));
    cache.put("k", "v1");
    long first = pttl(cache, "k");
    assertTrue(first > 50_000 && first <= 60_000, "pttl " + first);
    shortenTtl(cache, "k");
    cache.put("k", "v2");
    long afterUpdate = pttl(cache, "k");
    assertTrue(afterUpdate <= 30_000 && afterUpdate > 20_000, "update keeps the TTL, pttl " + afterUpdate);
    assertEquals("v2", cache.get("k"));
  }

  @Test
  void modified_resetsTtlOnUpdate() {
    Cache<String, String> cache = expiringCache("modified", ModifiedExpiryPolicy.factoryOf(HOUR));
    cache.put("k", "v1");
    shortenTtl(cache, "k");
    cache.put("k", "v2");
    assertTrue(pttl(cache, "k") > 3_000_000);
  }

  @Test
  void accessed_getExtendsTtl() {
    Cache<String, String> cache = expiringCache("accessed", AccessedExpiryPolicy.factoryOf(HOUR));
    cache.put("k", "v");
    shortenTtl(cache, "k");
    assertEquals("v", cache.get("k"));
    assertTrue(pttl(cache, "k") > 3_000_000);
    shortenTtl(cache, "k");
    assertEquals(Map.of("k", "v"), cache.getAll(Set.of("k")));
    assertTrue(pttl(cache, "k") > 3_000_000);
  }

  @Test
  void shortTtl_entryDisappearsFromRedis() throws InterruptedException {
    Cache<String, String> cache = expiringCache("short",
        CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 50)));
    cache.put("k", "v");
    long deadline = System.currentTimeMillis() + 5_000;
    while (cache.containsKey("k") && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertFalse(cache.containsKey("k"));
    assertNull(raw.get(redisKey(cache, "k")));
  }

  @Test
  void zeroOnCreation_isNeverStored() {
    Cache<String, String> cache = expiringCache("zero", CreatedExpiryPolicy.factoryOf(Duration.ZERO));
    cache.put("k", "v");
    assertFalse(cache.containsKey("k"));
    assertTrue(cache.putIfAbsent("k2", "v"));
    assertFalse(cache.containsKey("k2"));
  }

  @Test
  void customPolicy_isCalledOnlyForTheOperationsTheSpecNames() {
    CountingPolicy.reset();
    Cache<String, String> cache = expiringCache("counted", FactoryBuilder.factoryOf(CountingPolicy.class));
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
    assertTrue(pttl(cache, "k") > 3_000_000, "update returned null: the creation TTL stays");
    assertFalse(cache.replace("k", "nope", "v5"));
    assertCounts(1, 2, 2);
    cache.getAndRemove("k");
    assertCounts(1, 2, 2);
  }

  private Cache<String, String> expiringCache(String name, Factory<? extends ExpiryPolicy> policy) {
    return manager.createCache(name, new MutableConfiguration<String, String>().setExpiryPolicyFactory(policy));
  }

  /** Sets the entry's TTL in Redis to 30 s, so that a TTL the cache sets afterwards tells itself apart. */
  private void shortenTtl(Cache<String, String> cache, String key) {
    raw.pexpire(redisKey(cache, key), 30_000);
  }

  private void assertCounts(int creation, int update, int access) {
    assertEquals(creation, CountingPolicy.CREATION.get(), "creation calls");
    assertEquals(update, CountingPolicy.UPDATE.get(), "update calls");
    assertEquals(access, CountingPolicy.ACCESS.get(), "access calls");
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
