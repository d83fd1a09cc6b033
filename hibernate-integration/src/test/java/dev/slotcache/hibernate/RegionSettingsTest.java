package dev.slotcache.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Region defaults per kind and per-region settings without code, for both routes. */
@ExtendWith(RedisClusterExtension.class)
class RegionSettingsTest {

  private static final String BOOK = Book.class.getName();
  private static final String AUTHOR = Author.class.getName();

  @Test
  void dedicatedFactory_appliesKindDefaults_andPerRegionSettingsFromHibernateProperties(LocalRedisCluster cluster)
      throws Exception {
    Map<String, String> settings = dedicatedFactory(cluster.uri() + "/settings-" + UUID.randomUUID());
    settings.put("hibernate.cache.slotcache.query-results.expire-after-write", "5m");
    settings.put("slotcache.near-cache.max-entries", "1000");
    settings.put("hibernate.cache.slotcache.entity.near-cache.max-entries", "500");
    settings.put("slotcache.cache.dev.slotcache.hibernate.Author.near-cache.max-entries", "0");
    // readme:per-region-settings
    settings.put("slotcache.cache.dev.slotcache.hibernate.Author.expire-after-write", "90s");
    settings.put("slotcache.cache.dev.slotcache.hibernate.Author.segments", "8");
    // end:per-region-settings
    try (SessionFactory server = TwoServersContract.sessionFactory(database(), "create-drop", settings)) {
      CacheManager manager = dedicatedManager(server);
      assertEquals(3_600_000, ttlMillis(manager.getCache(BOOK)), "entity regions: 1 h after the last write");
      assertEquals(256, SlotcacheConfiguration.of(manager.getCache(BOOK)).getSegments());
      assertEquals(90_000, ttlMillis(manager.getCache(AUTHOR)), "the region's own setting wins");
      assertEquals(8, SlotcacheConfiguration.of(manager.getCache(AUTHOR)).getSegments());
      assertEquals(3_600_000, ttlMillis(manager.getCache(AUTHOR + ".books")), "collection regions");
      assertEquals(300_000, ttlMillis(manager.getCache("default-query-results-region")), "the kind's setting");
      Cache<Object, Object> timestamps = manager.getCache("default-update-timestamps-region");
      assertTrue(expiry(timestamps) instanceof EternalExpiryPolicy, "update timestamps never expire");
      assertNull(SlotcacheConfiguration.of(timestamps).getMaxTtl());
      assertEquals(16, SlotcacheConfiguration.of(timestamps).getSegments());

      assertEquals(500, SlotcacheConfiguration.of(manager.getCache(BOOK)).getNearCacheMaxEntries(), "the kind's");
      assertEquals(0, SlotcacheConfiguration.of(manager.getCache(AUTHOR)).getNearCacheMaxEntries(), "the region's");
      assertEquals(1000, SlotcacheConfiguration.of(manager.getCache("default-query-results-region"))
          .getNearCacheMaxEntries(), "the manager-wide setting");
      assertEquals(0, SlotcacheConfiguration.of(timestamps).getNearCacheMaxEntries(),
          "update timestamps are always read from Redis");
      server.inTransaction(session -> session.persist(new Book(7L, "isbn-7", "near", null)));
      javax.management.ObjectName bean = dev.slotcache.internal.management.MBeans.name(
          dev.slotcache.internal.management.MBeans.Kind.NearCache, manager.getURI(), BOOK);
      javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
      while ((Long) jmx.getAttribute(bean, "Hits") == 0) {
        assertTrue(System.nanoTime() < deadline, "entity reads are served from the near cache");
        assertEquals("near", TwoServersContract.title(server, 7L));
        Thread.sleep(5);
      }
    }
  }

  @Test
  void dedicatedFactory_takesPerRegionSettingsFromThePropertiesFileTheManagerRead(LocalRedisCluster cluster)
      throws Exception {
    Path file = Files.createTempFile("slotcache-region-factory", ".properties");
    try {
      Files.writeString(file, "slotcache.uri=" + cluster.uri() + "/file-" + UUID.randomUUID() + "\n"
          + "slotcache.cache.dev.slotcache.hibernate.Author.expire-after-write=90s\n");
      try (SessionFactory server = TwoServersContract.sessionFactory(database(), "create-drop",
          dedicatedFactory(file.toUri().toString()))) {
        CacheManager manager = dedicatedManager(server);
        assertEquals(90_000, ttlMillis(manager.getCache(AUTHOR)), "the region's own setting wins over its kind's");
        assertEquals(3_600_000, ttlMillis(manager.getCache(BOOK)), "a region without one: its kind's default");
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void dedicatedFactory_refusesANearCacheForTheTimestampsRegion(LocalRedisCluster cluster) {
    assertRefused(cluster, "hibernate.cache.slotcache.update-timestamps.near-cache.max-entries", "10",
        "stale query results");
    assertRefused(cluster, "slotcache.cache.default-update-timestamps-region.near-cache.max-entries", "10",
        "must always be read from Redis");
  }

  @Test
  void dedicatedFactory_refusesAnExpiryForTheTimestampsRegion(LocalRedisCluster cluster) {
    assertRefused(cluster, "slotcache.cache.default-update-timestamps-region.expire-after-write", "1h",
        "must never expire");
  }

  /** Building a session factory with {@code key=value} fails, saying {@code why}. */
  private static void assertRefused(LocalRedisCluster cluster, String key, String value, String why) {
    Map<String, String> settings = dedicatedFactory(cluster.uri() + "/settings-" + UUID.randomUUID());
    settings.put(key, value);
    Exception e = assertThrows(Exception.class,
        () -> TwoServersContract.sessionFactory(database(), "create-drop", settings).close());
    assertTrue(causes(e).contains(why), causes(e));
  }

  @Test
  void dedicatedFactory_refusesTransactional_withAClearMessage(LocalRedisCluster cluster) {
    Configuration configuration = new Configuration().addAnnotatedClass(Ledger.class)
        .setProperty("hibernate.connection.url", database())
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.region.factory_class", "slotcache")
        .setProperty("hibernate.cache.slotcache.uri", cluster.uri() + "/settings-" + UUID.randomUUID());
    Exception e = assertThrows(Exception.class, () -> configuration.buildSessionFactory().close());
    assertTrue(causes(e).contains("does not take part in JTA transactions"), causes(e));
  }

  @Test
  void stockRoute_readsThePropertiesFileNamedByTheUri(LocalRedisCluster cluster) throws Exception {
    Path file = Files.createTempFile("slotcache-hibernate", ".properties");
    try {
      Files.writeString(file, "slotcache.uri=" + cluster.uri() + "/file-" + UUID.randomUUID() + "\n"
          + "slotcache.cache.dev.slotcache.hibernate.Book.expire-after-write=2m\n");
      Map<String, String> settings = Map.of(
          "hibernate.cache.region.factory_class", "jcache",
          "hibernate.javax.cache.provider", "dev.slotcache.spi.SlotcacheCachingProvider",
          "hibernate.javax.cache.uri", file.toUri().toString(),
          "hibernate.javax.cache.missing_cache_strategy", "create");
      try (SessionFactory server = TwoServersContract.sessionFactory(database(), "create-drop", settings)) {
        server.inTransaction(session -> session.persist(new Book(1L, "isbn-1", "from a file", null)));
        assertEquals("from a file", TwoServersContract.title(server, 1L));
        assertTrue(server.getCache().containsEntity(Book.class, 1L));
        CacheManager manager = ((JCacheRegionFactory) server.unwrap(SessionFactoryImplementor.class).getCache()
            .getRegionFactory()).getCacheManager();
        assertEquals(120_000, ttlMillis(manager.getCache(BOOK)));
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void stockRoute_readsAPropertiesResourceOnTheClassPath(LocalRedisCluster cluster) {
    String before = System.getProperty("slotcache.uri");
    System.setProperty("slotcache.uri", cluster.uri());
    try {
      Map<String, String> settings = Map.of(
          "hibernate.cache.region.factory_class", "jcache",
          "hibernate.javax.cache.provider", "dev.slotcache.spi.SlotcacheCachingProvider",
          "hibernate.javax.cache.uri", "slotcache-hibernate-classpath.properties",
          "hibernate.javax.cache.missing_cache_strategy", "create");
      try (SessionFactory server = TwoServersContract.sessionFactory(database(), "create-drop", settings)) {
        server.inTransaction(session -> session.persist(new Book(1L, "isbn-1", "from the class path", null)));
        assertEquals("from the class path", TwoServersContract.title(server, 1L));
        CacheManager manager = ((JCacheRegionFactory) server.unwrap(SessionFactoryImplementor.class).getCache()
            .getRegionFactory()).getCacheManager();
        assertEquals(180_000, ttlMillis(manager.getCache(BOOK)), "the resource's per-region setting");
        assertTrue(manager.getURI().getScheme().equals("file") || manager.getURI().getScheme().equals("jar"),
            manager.getURI().toString());
        try (CacheManager probe = Caching.getCachingProvider().getCacheManager(
            URI.create(cluster.uri() + "/classpath-route?client-name=probe"), getClass().getClassLoader())) {
          assertTrue(probe.getCache(BOOK) != null, "the region lives in the resource's namespace on the cluster");
        }
      }
    } finally {
      if (before == null) {
        System.clearProperty("slotcache.uri");
      } else {
        System.setProperty("slotcache.uri", before);
      }
    }
  }

  /** Hibernate settings for the dedicated region factory on the CacheManager of {@code uri}; add more at will. */
  private static Map<String, String> dedicatedFactory(String uri) {
    Map<String, String> settings = new HashMap<>();
    settings.put("hibernate.cache.region.factory_class", "slotcache");
    settings.put("hibernate.cache.slotcache.uri", uri);
    return settings;
  }

  private static CacheManager dedicatedManager(SessionFactory server) {
    return ((SlotcacheRegionFactory) server.unwrap(SessionFactoryImplementor.class).getCache().getRegionFactory())
        .getCacheManager();
  }

  private static long ttlMillis(Cache<Object, Object> cache) {
    ExpiryPolicy policy = expiry(cache);
    assertTrue(policy instanceof ModifiedExpiryPolicy, cache.getName() + ": " + policy);
    return policy.getExpiryForUpdate().getTimeUnit().toMillis(policy.getExpiryForUpdate().getDurationAmount());
  }

  private static ExpiryPolicy expiry(Cache<Object, Object> cache) {
    return SlotcacheConfiguration.of(cache).getExpiryPolicyFactory().create();
  }

  private static String database() {
    return "jdbc:h2:mem:settings-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t).append(" <- ");
    }
    return text.toString();
  }

  /** Asks for TRANSACTIONAL caching, which the Slotcache region factory refuses. */
  @Entity
  @Cacheable
  @org.hibernate.annotations.Cache(usage = CacheConcurrencyStrategy.TRANSACTIONAL)
  public static class Ledger {
    @Id
    private Long id;
  }
}
