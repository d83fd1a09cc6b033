package dev.slotcache;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * Base of tests against the shared local cluster: each test gets a CacheManager on its own namespace, and
 * a raw Jedis client to look at what is stored.
 */
@ExtendWith(RedisClusterExtension.class)
abstract class ClusterTest {

  protected LocalRedisCluster cluster;
  protected CachingProvider provider;
  protected CacheManager manager;
  protected String namespace;
  protected RedisClusterClient raw;

  @BeforeEach
  void openManager(LocalRedisCluster cluster) {
    this.cluster = cluster;
    this.provider = Caching.getCachingProvider();
    this.namespace = "t-" + UUID.randomUUID().toString().substring(0, 8);
    this.manager = provider.getCacheManager(clusterUri(namespace), getClass().getClassLoader(), new Properties());
    Set<HostAndPort> nodes = new HashSet<>();
    cluster.masters().forEach(n -> nodes.add(new HostAndPort(n.host(), n.port())));
    this.raw = RedisClusterClient.create(nodes);
  }

  @AfterEach
  void closeManager() {
    if (!manager.isClosed()) {
      for (String name : manager.getCacheNames()) {
        manager.destroyCache(name);
      }
      manager.close();
    }
    raw.close();
  }

  protected URI clusterUri(String ns) {
    return URI.create(cluster.uri() + "/" + ns);
  }
}
