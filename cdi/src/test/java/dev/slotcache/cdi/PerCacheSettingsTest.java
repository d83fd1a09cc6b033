package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.codec.ClassPolicy;
import dev.slotcache.codec.KryoCodec;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import dev.slotcache.testkit.LocalRedisCluster;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/**
 * Caches that the interceptors create take Slotcache's per-cache settings, without code: from system properties
 * for the default CacheManager, or from a properties file named by a CacheManager URI. Checked on the raw Redis
 * keys (PTTL) and in the caches' effective {@link SlotcacheConfiguration}.
 */
class PerCacheSettingsTest extends ContainerTest {

  private static final String TOKENS = "dev.slotcache.cdi.PerCacheSettingsTest$Tokens.issue(java.lang.String)";
  private static final String PLAIN = "dev.slotcache.cdi.PerCacheSettingsTest$Tokens.plain(java.lang.String)";

  private static final KryoCodec CODEC =
      new KryoCodec(PerCacheSettingsTest.class.getClassLoader(), ClassPolicy.denyList(), 1 << 20);

  private RedisClusterClient raw;

  PerCacheSettingsTest() {
    super(Tokens.class, FileConfiguredFactory.class);
  }

  @BeforeAll
  void start(LocalRedisCluster cluster) {
    // Settings are read when a CacheManager is created: start from a fresh default CacheManager.
    Containers.defaultManager().close();
    System.setProperty("slotcache.cache." + TOKENS + ".expire-after-write", "2m");
    System.setProperty("slotcache.cache." + TOKENS + ".segments", "16");
    destroyIfPresent(Containers.defaultManager(), TOKENS, PLAIN);
    Set<HostAndPort> nodes = new HashSet<>();
    cluster.masters().forEach(n -> nodes.add(n.hostAndPort()));
    raw = RedisClusterClient.create(nodes);
  }

  @AfterAll
  void stop() {
    try {
      destroyIfPresent(Containers.defaultManager(), TOKENS, PLAIN);
      destroyIfPresent(fileConfiguredManager(), "cdi-file-orders");
      raw.close();
    } finally {
      System.clearProperty("slotcache.cache." + TOKENS + ".expire-after-write");
      System.clearProperty("slotcache.cache." + TOKENS + ".segments");
      Containers.defaultManager().close();
    }
  }

  @Test
  void systemProperties_shapeTheCacheTheDefaultFactoryCreates() {
    Tokens tokens = bean(Tokens.class);
    tokens.issue("alice");
    Cache<Object, Object> cache = Containers.cache(TOKENS);
    assertEquals(16, SlotcacheConfiguration.of(cache).getSegments());
    long pttl = pttl(Containers.NAMESPACE, TOKENS, 16, ParametersKey.of("alice"));
    assertTrue(pttl > 100_000 && pttl <= 120_000, "expire-after-write=2m gives PTTL " + pttl);

    tokens.plain("bob");
    assertEquals(256, SlotcacheConfiguration.of(Containers.cache(PLAIN)).getSegments(), "no settings: the default");
    assertEquals(-1, pttl(Containers.NAMESPACE, PLAIN, 256, ParametersKey.of("bob")), "no settings: eternal");
  }

  @Test
  void propertiesFile_shapesTheCachesOfItsCacheManager() {
    Tokens tokens = bean(Tokens.class);
    tokens.order("o-1");
    Cache<Object, Object> cache = fileConfiguredManager().getCache("cdi-file-orders");
    assertEquals(8, SlotcacheConfiguration.of(cache).getSegments());
    long pttl = pttl("cdi-file-settings", "cdi-file-orders", 8, ParametersKey.of("o-1"));
    assertTrue(pttl > 80_000 && pttl <= 90_000, "expire-after-write=90s gives PTTL " + pttl);
  }

  /** The same URI and class loader give the same CacheManager as the factory's. */
  private static CacheManager fileConfiguredManager() {
    return Caching.getCachingProvider().getCacheManager(URI.create("classpath:cdi-file-settings.properties"),
        FileConfiguredFactory.class.getClassLoader());
  }

  private long pttl(String namespace, String cacheName, int segments, ParametersKey key) {
    return raw.pttl(new SegmentedKeyLayout(namespace, cacheName, segments).redisKey(CODEC.encodeKey(key)));
  }

  private static void destroyIfPresent(CacheManager manager, String... names) {
    for (String name : names) {
      if (manager.getCache(name) != null) {
        manager.destroyCache(name);
      }
    }
  }

  /** Caches under default names, and one through a CacheManager configured by a file. */
  @ApplicationScoped
  public static class Tokens {
    @CacheResult
    public String issue(String user) {
      return "token of " + user;
    }

    @CacheResult
    public String plain(String user) {
      return "plain " + user;
    }

    @CacheResult(cacheName = "cdi-file-orders", cacheResolverFactory = FileConfiguredFactory.class)
    public String order(String id) {
      return "order " + id;
    }
  }

  // readme:cdi-file-factory
  /** Caches of the CacheManager that classpath:cdi-file-settings.properties configures. */
  @ApplicationScoped
  public static class FileConfiguredFactory implements CacheResolverFactory {
    private CacheManager manager;
    private CacheResolverFactory delegate;

    @PostConstruct
    void open() {
      manager = Caching.getCachingProvider().getCacheManager(
          URI.create("classpath:cdi-file-settings.properties"), FileConfiguredFactory.class.getClassLoader());
      delegate = new DefaultCacheResolverFactory(manager);
    }

    @PreDestroy
    void close() {
      manager.close();
    }

    @Override
    public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
      return delegate.getCacheResolver(details);
    }

    @Override
    public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
      return delegate.getExceptionCacheResolver(details);
    }
  }
  // end:cdi-file-factory
}
