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
import org.junit.jupiter.api.Test;

/**
 * TTL jitter shortens each creation TTL by a random 0..p %: with 20 % and a 10 s policy every entry's Redis TTL
 * (PTTL, read right after the put) lies in [8 s, 10 s], and the TTLs spread over that range.
 */
class TtlJitterTest extends ClusterTest {

  private static final int ENTRIES = 200;
  private static final long TTL = 10_000;

  @Override
  protected Properties managerProperties() {
    return properties("slotcache.cache.declared.ttl-jitter", "20");
  }

  @Test
  void perCacheTtlJitter_spreadsCreationTtlsOverTheLowestTwentyPercent() {
    Cache<String, String> cache = manager.createCache("declared", tenSeconds());
    assertEquals(20, SlotcacheConfiguration.of(cache).getTtlJitterPercent());
    assertJittered(cache);
  }

  @Test
  void configurationTtlJitter_spreadsCreationTtlsOverTheLowestTwentyPercent() {
    Cache<String, String> cache = manager.createCache("coded", new SlotcacheConfiguration<String, String>()
        .setTtlJitterPercent(20)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, TTL))));
    assertJittered(cache);
  }

  @Test
  void withoutJitter_everyTtlIsThePolicysOwn() {
    Cache<String, String> cache = manager.createCache("exact", tenSeconds());
    long[] range = putAndReadTtls(cache);
    assertTrue(range[1] - range[0] < 500, "TTLs spread without jitter: " + range[0] + ".." + range[1]);
  }

  private static MutableConfiguration<String, String> tenSeconds() {
    return new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, TTL)));
  }

  private void assertJittered(Cache<String, String> cache) {
    long[] range = putAndReadTtls(cache);
    // Uniform over 2 s: 200 draws all within 1 s of each other happen with probability below 2^-190.
    assertTrue(range[1] - range[0] >= 1_000, "TTLs hardly spread: " + range[0] + ".." + range[1]);
  }

  /** Puts ENTRIES entries, checks each PTTL against [8 s - time since the put, 10 s]; returns min and max. */
  private long[] putAndReadTtls(Cache<String, String> cache) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < ENTRIES; i++) {
      String key = "k" + i;
      long before = System.nanoTime();
      cache.put(key, "v");
      long ttl = pttl(cache, key);
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before) + 1;
      long lowest = TTL * 80 / 100 - elapsed;
      assertTrue(ttl >= lowest && ttl <= TTL, key + ": pttl " + ttl + " outside [" + lowest + ", " + TTL + "]");
      min = Math.min(min, ttl);
      max = Math.max(max, ttl);
    }
    return new long[] {min, max};
  }
}
