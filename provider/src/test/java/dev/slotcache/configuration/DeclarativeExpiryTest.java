package dev.slotcache.configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.store.SegmentedKeyLayout;
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
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * The manager-wide {@code slotcache.expire-after-*} settings are defaults for caches whose configuration has the
 * default eternal policy; a cache's own {@code slotcache.cache.<name>.expire-after-*} setting replaces them as a
 * group. TTLs are read from Redis with PTTL.
 */
@ExtendWith(RedisClusterExtension.class)
class DeclarativeExpiryTest {

  private final SlotcacheCachingProvider provider = new SlotcacheCachingProvider();
  private LocalRedisCluster cluster;
  private RedisClusterClient raw;
  private String namespace;
  private CacheManager manager;
  private final List<CacheManager> managers = new ArrayList<>();

  @BeforeEach
  void connect(LocalRedisCluster cluster) {
    this.cluster = cluster;
    Set<HostAndPort> nodes = new HashSet<>();
    cluster.masters().forEach(n -> nodes.add(n.hostAndPort()));
    raw = RedisClusterClient.create(nodes);
  }

  @AfterEach
  void close() {
    for (CacheManager m : managers) {
      if (!m.isClosed()) {
        for (String name : m.getCacheNames()) {
          m.destroyCache(name);
        }
      }
    }
    provider.close();
    raw.close();
  }

  @Test
  void managerWideExpireAfterWrite_appliesToCachesWithTheDefaultEternalPolicy() {
    open("", "slotcache.expire-after-write", "90s");
    Cache<String, String> plain = manager.createCache("plain", new MutableConfiguration<>());
    plain.put("k", "v");
    long ttl = pttl("plain", "k");
    assertTrue(ttl > 80_000 && ttl <= 90_000, "pttl " + ttl);
    assertPolicy(plain, ModifiedExpiryPolicy.class, 90_000);

    Cache<String, String> coded = manager.createCache("coded", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
    coded.put("k", "v");
    assertTrue(pttl("coded", "k") > 3_000_000, "a policy set in code is kept");
  }

  @Test
  void managerWideExpireAfterCreateAndAccess_giveTheirPolicies() {
    open("", "slotcache.expire-after-create", "2m");
    assertPolicy(manager.createCache("created", new MutableConfiguration<>()), CreatedExpiryPolicy.class, 120_000);
    open("", "slotcache.expire-after-access", "3m");
    assertPolicy(manager.createCache("touched", new MutableConfiguration<>()), TouchedExpiryPolicy.class, 180_000);
  }

  @Test
  void perCacheExpiry_replacesTheManagerWideOneAsAGroup() {
    open("", "slotcache.expire-after-write", "90s", "slotcache.cache.sessions.expire-after-access", "30s");
    Cache<String, String> sessions = manager.createCache("sessions", new MutableConfiguration<>());
    sessions.put("k", "v");
    long ttl = pttl("sessions", "k");
    assertTrue(ttl > 20_000 && ttl <= 30_000, "pttl " + ttl);
    assertPolicy(sessions, TouchedExpiryPolicy.class, 30_000);
    assertPolicy(manager.createCache("others", new MutableConfiguration<>()), ModifiedExpiryPolicy.class, 90_000);
  }

  @Test
  void laterLayer_replacesTheExpiryGroupOfAnEarlierOne() {
    // URI options sit under the Properties given to getCacheManager.
    open("?expire-after-write=90s", "slotcache.expire-after-create", "30s");
    assertPolicy(manager.createCache("layered", new MutableConfiguration<>()), CreatedExpiryPolicy.class, 30_000);
  }

  private void open(String query, String... keyValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      properties.setProperty(keyValues[i], keyValues[i + 1]);
    }
    namespace = "x-" + UUID.randomUUID().toString().substring(0, 8);
    manager = provider.getCacheManager(URI.create(cluster.uri() + "/" + namespace + query),
        getClass().getClassLoader(), properties);
    managers.add(manager);
  }

  private static void assertPolicy(Cache<?, ?> cache, Class<? extends ExpiryPolicy> type, long millis) {
    ExpiryPolicy policy = SlotcacheConfiguration.of(cache).getExpiryPolicyFactory().create();
    assertEquals(type, policy.getClass(), cache.getName());
    Duration duration = type == CreatedExpiryPolicy.class ? policy.getExpiryForCreation() : policy.getExpiryForUpdate();
    assertEquals(millis, duration.getTimeUnit().toMillis(duration.getDurationAmount()), cache.getName());
    assertEquals(TimeUnit.MILLISECONDS, duration.getTimeUnit());
  }

  private long pttl(String cacheName, String key) {
    int segments = SlotcacheConfiguration.of(manager.getCache(cacheName)).getSegments();
    return raw.pttl(new SegmentedKeyLayout(namespace, cacheName, segments).redisKey(key.getBytes(StandardCharsets.UTF_8)));
  }
}
