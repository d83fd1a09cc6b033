package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * What the creator of a cache configured and every JVM must agree on is recorded in the cluster and applied
 * wherever the cache is opened; the record survives the cluster losing it while JVMs hold the cache open.
 */
class SharedConfigurationTest extends ClusterTest {

  private static final Duration MINUTE = new Duration(TimeUnit.SECONDS, 60);

  @Test
  void getCache_inAnotherJvm_writesWithTheCreatorsExpiryAndTtlShaping() {
    manager.createCache("sessions", new SlotcacheConfiguration<String, String>().setMaxTtl(java.time.Duration.ofSeconds(30))
        .setTypes(String.class, String.class).setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(MINUTE)));
    Cache<String, String> seen = secondJvm().getCache("sessions", String.class, String.class);
    seen.put("from-b", "v");
    long pttl = pttl(seen, "from-b");
    assertTrue(pttl > 0 && pttl <= 30_000, "the creator's policy capped by its max-ttl, PTTL " + pttl);
    SlotcacheConfiguration<?, ?> configuration = SlotcacheConfiguration.of(seen);
    ExpiryPolicy policy = configuration.getExpiryPolicyFactory().create();
    assertTrue(policy instanceof CreatedExpiryPolicy, "policy " + policy);
    assertEquals(MINUTE, policy.getExpiryForCreation());
    assertEquals(java.time.Duration.ofSeconds(30), configuration.getMaxTtl());
  }

  @Test
  void createCache_withDefaultsInAnotherJvm_adoptsTheRecordedExpiry() {
    manager.createCache("carts", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
        .setExpiryPolicyFactory(TouchedExpiryPolicy.factoryOf(MINUTE)));
    Cache<String, String> adopted = secondJvm().createCache("carts",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    adopted.put("k", "v");
    long pttl = pttl(adopted, "k");
    assertTrue(pttl > 50_000 && pttl <= 60_000, "the recorded 60 s policy, PTTL " + pttl);
  }

  @Test
  void createCache_contradictingTheRecordedConfiguration_failsNamingBoth() {
    manager.createCache("prices", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(MINUTE)));
    CacheManager other = secondJvm();
    CacheException e = assertThrows(CacheException.class, () -> other.createCache("prices",
        new SlotcacheConfiguration<String, String>().setSegments(8).setTypes(String.class, String.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.SECONDS, 1)))));
    assertTrue(e.getMessage().contains("created:60000") && e.getMessage().contains("created:1000"), e.getMessage());
    assertTrue(e.getMessage().contains("segments 256, not 8"), e.getMessage());
    assertNull(other.getCache("prices", String.class, String.class).get("nothing"), "getCache still works");
  }

  @Test
  void registryLostByFlushAll_isRestoredByAJvmThatHasTheCacheOpen() throws Exception {
    try (LocalRedisCluster own = LocalRedisCluster.start(3)) {
      URI uri = URI.create(own.uri() + "/restore");
      CacheManager first = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
      try {
        first.createCache("orders", new MutableConfiguration<String, String>().setTypes(String.class, String.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(MINUTE)));
        first.createCache("doomed", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        first.destroyCache("doomed");
        own.flushAll();

        CacheManager later = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
        try {
          Cache<String, String> found = null;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
          while (found == null && System.nanoTime() < deadline) {
            found = later.getCache("orders", String.class, String.class);
            Thread.sleep(100);
          }
          assertNotNull(found, "a JVM started after the flush finds the cache another JVM has open");
          ExpiryPolicy policy = SlotcacheConfiguration.of(found).getExpiryPolicyFactory().create();
          assertEquals(MINUTE, policy.getExpiryForCreation(), "with the recorded configuration");
          assertNull(later.getCache("doomed"), "a destroyed cache is not brought back");
        } finally {
          later.close();
        }
      } finally {
        first.close();
      }
    }
  }

  private CacheManager secondJvm() {
    return secondJvm(clusterUri(namespace));
  }
}
