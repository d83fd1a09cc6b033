package dev.slotcache;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * Base of tests against the shared local cluster, in any test package: each test gets a CacheManager on its own
 * namespace (with the {@link #managerProperties()} of the test class), and a raw Jedis client to look at what is
 * stored.
 */
@ExtendWith(RedisClusterExtension.class)
public abstract class ClusterTest {

  protected LocalRedisCluster cluster;
  protected CachingProvider provider;
  protected CacheManager manager;
  protected String namespace;
  protected RedisClusterClient raw;
  private final List<CacheManager> others = new ArrayList<>();

  @BeforeEach
  protected void openManager(LocalRedisCluster cluster) {
    this.cluster = cluster;
    this.provider = Caching.getCachingProvider();
    this.namespace = "t-" + UUID.randomUUID().toString().substring(0, 8);
    this.manager = provider.getCacheManager(clusterUri(namespace), getClass().getClassLoader(), managerProperties());
    Set<HostAndPort> nodes = new HashSet<>();
    cluster.masters().forEach(n -> nodes.add(n.hostAndPort()));
    this.raw = RedisClusterClient.create(nodes);
  }

  @AfterEach
  protected void closeManager() {
    others.add(manager);
    for (CacheManager open : others) {
      if (!open.isClosed()) {
        for (String name : open.getCacheNames()) {
          open.destroyCache(name);
        }
        open.close();
      }
    }
    raw.close();
  }

  /** Another CacheManager for this test; its caches are destroyed and it is closed after the test. */
  protected CacheManager openManager(URI uri, Properties properties) {
    return afterTestClose(provider.getCacheManager(uri, getClass().getClassLoader(), properties));
  }

  /**
   * A CacheManager as another JVM has it: from a provider instance of its own (its own connections), on
   * {@code uri}; its caches are destroyed and it is closed after the test.
   */
  protected CacheManager secondJvm(URI uri) {
    return afterTestClose(new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader()));
  }

  private CacheManager afterTestClose(CacheManager other) {
    others.add(other);
    return other;
  }

  /** Properties from alternating keys and values. */
  protected static Properties properties(String... keysAndValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }

  /** The properties the test's CacheManager is created with; none unless a test class says otherwise. */
  protected Properties managerProperties() {
    return new Properties();
  }

  protected URI clusterUri(String ns) {
    return URI.create(cluster.uri() + "/" + ns);
  }

  /** A new cache of the test's manager with String keys and values. */
  protected Cache<String, String> stringCache(String name) {
    return manager.createCache(name, new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  /** The Redis key of a String key of a cache (of any Slotcache manager). */
  protected static byte[] redisKey(Cache<?, ?> cache, String key) {
    String cacheNamespace = cache.getCacheManager().unwrap(SlotcacheCacheManager.class).getNamespace();
    int segments = SlotcacheConfiguration.of(cache).getSegments();
    return new SegmentedKeyLayout(cacheNamespace, cache.getName(), segments)
        .redisKey(key.getBytes(StandardCharsets.UTF_8));
  }

  /** What Redis says of the entry's TTL (PTTL): milliseconds, -1 without a TTL, -2 when absent. */
  protected long pttl(Cache<?, ?> cache, String key) {
    return raw.pttl(redisKey(cache, key));
  }
}
