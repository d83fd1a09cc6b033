package dev.slotcache.internal.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import dev.slotcache.configuration.SlotcacheConfiguration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;

/** max-ttl caps every TTL Redis gets, eternal entries included; read with PTTL. */
class MaxTtlTest extends ClusterTest {

  @Override
  protected Properties managerProperties() {
    return properties("slotcache.cache.declared.max-ttl", "2s");
  }

  @Test
  void perCacheMaxTtl_boundsEternalEntries_andLongerPolicies() {
    Cache<String, String> eternal = manager.createCache("declared", new MutableConfiguration<>());
    assertEquals(java.time.Duration.ofSeconds(2), SlotcacheConfiguration.of(eternal).getMaxTtl());
    eternal.put("k", "v");
    assertCapped(eternal, "k");
    manager.destroyCache("declared");

    Cache<String, String> hour = manager.createCache("declared", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
    hour.put("k", "v");
    assertCapped(hour, "k");
  }

  @Test
  void configurationMaxTtl_boundsEternalEntries_creationsAndAccesses() {
    Cache<String, String> eternal = manager.createCache("coded-eternal", new SlotcacheConfiguration<String, String>()
        .setMaxTtl(java.time.Duration.ofSeconds(2)));
    eternal.put("k", "v");
    assertCapped(eternal, "k");

    Cache<String, String> touched = manager.createCache("coded-touched", new SlotcacheConfiguration<String, String>()
        .setMaxTtl(java.time.Duration.ofSeconds(2))
        .setExpiryPolicyFactory(TouchedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
    touched.put("k", "v");
    assertCapped(touched, "k");
    assertEquals("v", touched.get("k"));
    assertCapped(touched, "k");
    touched.put("k", "v2");
    assertCapped(touched, "k");
  }

  @Test
  void shorterPolicies_areNotLengthened() {
    Cache<String, String> cache = manager.createCache("declared", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 1_000))));
    cache.put("k", "v");
    long ttl = pttl(cache, "k");
    assertTrue(ttl > 0 && ttl <= 1_000, "pttl " + ttl);
  }

  private void assertCapped(Cache<String, String> cache, String key) {
    long ttl = pttl(cache, key);
    assertTrue(ttl > 1_000 && ttl <= 2_000, cache.getName() + ": pttl " + ttl + ", expected at most 2000");
  }
}
