package dev.slotcache.configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;

/**
 * The manager-wide {@code slotcache.expire-after-*} settings are defaults for caches whose configuration has the
 * default eternal policy; a cache's own {@code slotcache.cache.<name>.expire-after-*} setting replaces them as a
 * group. TTLs are read from Redis with PTTL.
 */
class DeclarativeExpiryTest extends ClusterTest {

  /** The CacheManager of the test, opened by {@link #open}. */
  private CacheManager declared;

  @Test
  void managerWideExpireAfterWrite_appliesToCachesWithTheDefaultEternalPolicy() {
    open("", "slotcache.expire-after-write", "90s");
    Cache<String, String> plain = declared.createCache("plain", new MutableConfiguration<>());
    plain.put("k", "v");
    long ttl = pttl("plain", "k");
    assertTrue(ttl > 80_000 && ttl <= 90_000, "pttl " + ttl);
    assertPolicy(plain, ModifiedExpiryPolicy.class, 90_000);

    Cache<String, String> coded = declared.createCache("coded", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
    coded.put("k", "v");
    assertTrue(pttl("coded", "k") > 3_000_000, "a policy set in code is kept");
  }

  @Test
  void managerWideExpireAfterCreateAndAccess_giveTheirPolicies() {
    open("", "slotcache.expire-after-create", "2m");
    assertPolicy(declared.createCache("created", new MutableConfiguration<>()), CreatedExpiryPolicy.class, 120_000);
    open("", "slotcache.expire-after-access", "3m");
    assertPolicy(declared.createCache("touched", new MutableConfiguration<>()), TouchedExpiryPolicy.class, 180_000);
  }

  @Test
  void perCacheExpiry_replacesTheManagerWideOneAsAGroup() {
    open("", "slotcache.expire-after-write", "90s", "slotcache.cache.sessions.expire-after-access", "30s",
        "slotcache.cache.sessions.segments", "32");
    Cache<String, String> sessions = declared.createCache("sessions", new MutableConfiguration<>());
    assertEquals(32, SlotcacheConfiguration.of(sessions).getSegments(), "a cache's own settings apply together");
    sessions.put("k", "v");
    long ttl = pttl("sessions", "k");
    assertTrue(ttl > 20_000 && ttl <= 30_000, "pttl " + ttl);
    assertPolicy(sessions, TouchedExpiryPolicy.class, 30_000);
    assertPolicy(declared.createCache("others", new MutableConfiguration<>()), ModifiedExpiryPolicy.class, 90_000);
  }

  @Test
  void laterLayer_replacesTheExpiryGroupOfAnEarlierOne() {
    // URI options sit under the Properties given to getCacheManager.
    open("?expire-after-write=90s", "slotcache.expire-after-create", "30s");
    assertPolicy(declared.createCache("layered", new MutableConfiguration<>()), CreatedExpiryPolicy.class, 30_000);
  }

  /** Makes {@code declared} a new CacheManager on a namespace of its own, with URI options and properties. */
  private void open(String query, String... keyValues) {
    String own = "x-" + UUID.randomUUID().toString().substring(0, 8);
    declared = openManager(URI.create(cluster.uri() + "/" + own + query), properties(keyValues));
  }

  private static void assertPolicy(Cache<?, ?> cache, Class<? extends ExpiryPolicy> type, long millis) {
    ExpiryPolicy policy = SlotcacheConfiguration.of(cache).getExpiryPolicyFactory().create();
    assertEquals(type, policy.getClass(), cache.getName());
    Duration duration = type == CreatedExpiryPolicy.class ? policy.getExpiryForCreation() : policy.getExpiryForUpdate();
    assertEquals(millis, duration.getTimeUnit().toMillis(duration.getDurationAmount()), cache.getName());
    assertEquals(TimeUnit.MILLISECONDS, duration.getTimeUnit());
  }

  private long pttl(String cacheName, String key) {
    return pttl(declared.getCache(cacheName), key);
  }
}
