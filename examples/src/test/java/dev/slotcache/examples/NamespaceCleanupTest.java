package dev.slotcache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

@ExtendWith(RedisClusterExtension.class)
class NamespaceCleanupTest {

  private final CachingProvider provider = Caching.getCachingProvider();

  @Test
  void removeAll_takesEveryKeyOfTheNamespace_andNoOtherKey(LocalRedisCluster cluster) {
    List<HostAndPort> masters = cluster.masters().stream().map(LocalRedisCluster.Node::hostAndPort).toList();
    String namespace = "cleanup-" + UUID.randomUUID().toString().substring(0, 8);
    String bystanderNamespace = namespace + "-bystander";
    try (RedisClusterClient raw = RedisClusterClient.create(Set.copyOf(masters));
         CacheManager bystander = manager(cluster, bystanderNamespace, "")) {
      NamespaceCleanup cleanup = new NamespaceCleanup(raw, masters);
      Cache<Integer, String> kept = bystander.createCache("kept", new MutableConfiguration<>());
      kept.put(1, "not the showcase's");
      CacheManager tour = manager(cluster, namespace, "");
      Cache<Integer, String> orders = tour.createCache("orders", new MutableConfiguration<>());
      for (int i = 0; i < 50; i++) {
        orders.put(i, "order " + i);
      }
      try (CacheManager otherServer = manager(cluster, namespace, "?client-name=other")) {
        // A cache the tour's manager never opened, as Spring's and Hibernate's are.
        otherServer.createCache("prices", new MutableConfiguration<String, Long>()).put("isbn", 4603L);
      }
      // A listener lease of a JVM that died before it could withdraw it.
      raw.zadd(namespace + ":listening", System.currentTimeMillis() + 60_000, "prices\0dead-jvm");
      long created = cleanup.keysUnder(namespace);

      try {
        assertEquals(created, cleanup.removeAll(tour));
      } finally {
        tour.close();
      }

      assertEquals(50 + 1 + 1 + 1, created, "entries, the registry, the lease");
      assertEquals(0, cleanup.keysUnder(namespace));
      assertEquals("not the showcase's", kept.get(1));
      assertTrue(cleanup.keysUnder(bystanderNamespace) > 0);
      bystander.destroyCache("kept");
    }
  }

  private CacheManager manager(LocalRedisCluster cluster, String namespace, String query) {
    return provider.getCacheManager(URI.create(cluster.uri() + "/" + namespace + query), getClass().getClassLoader());
  }
}
