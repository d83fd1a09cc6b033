package dev.slotcache.spring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.SlotcacheCacheManager;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.spring.boot.BookshopApplication;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Spring Boot route end to end: two {@link BookshopApplication}s, configured only by properties
 * ({@code spring.cache.type=jcache}, the Slotcache provider, {@code spring.cache.jcache.config}), share one cluster
 * and namespace. Server A reads {@code classpath:slotcache.properties}, which names no cluster, so the system
 * property {@code slotcache.uri} does; server B reads a copy in a {@code file:} that names the cluster itself.
 */
@ExtendWith(RedisClusterExtension.class)
class BootCacheAutoConfigurationTest {

  private static final String EFFECTIVE_JAVA = "978-0134685991";
  private static final String HEAD_FIRST_JAVA = "978-0596009205";
  private static final String UNKNOWN = "000-0000000000";

  private static LocalRedisCluster cluster;
  private static String namespace;
  private static ConfigurableApplicationContext serverA;
  private static ConfigurableApplicationContext serverB;

  @BeforeAll
  static void start(LocalRedisCluster localCluster, @TempDir Path dir) throws IOException {
    cluster = localCluster;
    namespace = "boot-" + UUID.randomUUID().toString().substring(0, 8);
    String clusterUri = cluster.uri() + "/" + namespace;
    String previous = System.setProperty("slotcache.uri", clusterUri);
    try {
      serverA = new SpringApplicationBuilder(BookshopApplication.class).run();
    } finally {
      if (previous == null) {
        System.clearProperty("slotcache.uri");
      } else {
        System.setProperty("slotcache.uri", previous);
      }
    }
    Path file = dir.resolve("slotcache.properties");
    try (InputStream in = BookshopApplication.class.getResourceAsStream("/slotcache.properties")) {
      Files.writeString(file, new String(in.readAllBytes(), UTF_8) + "slotcache.uri=" + clusterUri + "\n");
    }
    serverB = new SpringApplicationBuilder(BookshopApplication.class)
        .run("--spring.cache.jcache.config=" + file.toUri());
  }

  @AfterAll
  static void stop() {
    if (serverA != null) {
      javax.cache.CacheManager manager = serverA.getBean(javax.cache.CacheManager.class);
      for (String name : List.of("books", "prices", "price-failures")) {
        manager.destroyCache(name);
      }
      serverA.close();
    }
    if (serverB != null) {
      serverB.close();
    }
  }

  @Test
  void bootRoute_cacheManagerIsSlotcacheReadingTheConfigFile() {
    for (ConfigurableApplicationContext server : List.of(serverA, serverB)) {
      javax.cache.CacheManager manager = server.getBean(javax.cache.CacheManager.class);
      assertEquals("file", manager.getURI().getScheme(), "Boot passes the resource's URI: " + manager.getURI());
      assertTrue(manager.getURI().getPath().endsWith("/slotcache.properties"), manager.getURI().toString());
      assertEquals(namespace, manager.unwrap(SlotcacheCacheManager.class).getNamespace());
      JCacheCacheManager spring = server.getBean(JCacheCacheManager.class);
      assertTrue(Set.copyOf(spring.getCacheNames()).containsAll(Set.of("books", "prices", "price-failures")),
          "caches: " + spring.getCacheNames());
    }
    assertTrue(serverA.getBean(javax.cache.CacheManager.class) != serverB.getBean(javax.cache.CacheManager.class));
  }

  @Test
  void cacheResult_calledInBothApplications_runsOncePerKey() {
    BookService a = serverA.getBean(BookService.class);
    BookService b = serverB.getBean(BookService.class);
    for (int round = 0; round < 3; round++) {
      assertEquals("Head First Java", a.find(HEAD_FIRST_JAVA).title());
      assertEquals("Head First Java", b.find(HEAD_FIRST_JAVA).title());
    }
    assertEquals(1, loads("load", HEAD_FIRST_JAVA), "the method ran once in the two applications together");
  }

  @Test
  void perCacheSegments_fromTheFile_applyToTheCacheBootCreated() {
    for (ConfigurableApplicationContext server : List.of(serverA, serverB)) {
      javax.cache.CacheManager manager = server.getBean(javax.cache.CacheManager.class);
      assertEquals(8, SlotcacheConfiguration.of(manager.getCache("books")).getSegments());
      assertEquals(256, SlotcacheConfiguration.of(manager.getCache("prices")).getSegments());
    }
    try (Jedis jedis = ownerOf(namespace + ":caches")) {
      String recorded = jedis.hget(namespace + ":caches", "books");
      assertNotNull(recorded, "books is recorded in the cluster");
      assertEquals("8", recorded.split("\\|")[3], "segments in the recorded configuration " + recorded);
    }
  }

  @Test
  void perCacheExpiry_fromTheFile_appliesToTheAnnotatedCache() throws InterruptedException {
    SlotcacheConfiguration<?, ?> prices =
        SlotcacheConfiguration.of(serverA.getBean(javax.cache.CacheManager.class).getCache("prices"));
    ExpiryPolicy policy = prices.getExpiryPolicyFactory().create();
    assertTrue(policy instanceof ModifiedExpiryPolicy, "expire-after-write: " + policy);
    assertEquals(new Duration(TimeUnit.MILLISECONDS, 1000), policy.getExpiryForUpdate());

    BookService a = serverA.getBean(BookService.class);
    BookService b = serverB.getBean(BookService.class);
    assertEquals(new BigDecimal("45.99"), a.price(EFFECTIVE_JAVA));
    long ttl = pttl("prices", EFFECTIVE_JAVA);
    assertTrue(ttl > 0 && ttl <= 1000, "PTTL " + ttl + " ms, expected at most the 1s of the file");
    assertEquals(new BigDecimal("45.99"), b.price(EFFECTIVE_JAVA));
    assertEquals(1, loads("price", EFFECTIVE_JAVA), "server B hit the entry server A cached");

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pttl("prices", EFFECTIVE_JAVA) != -2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(-2, pttl("prices", EFFECTIVE_JAVA), "Redis removed the entry when its TTL ran out");
    assertEquals(new BigDecimal("45.99"), b.price(EFFECTIVE_JAVA));
    assertEquals(2, loads("price", EFFECTIVE_JAVA), "expired, so the method ran again");
  }

  @Test
  void customizerCreatedCache_keepsItsCodeConfiguredExpiry() {
    BookService a = serverA.getBean(BookService.class);
    BookService b = serverB.getBean(BookService.class);
    assertThrows(NoSuchBookException.class, () -> a.price(UNKNOWN));
    assertThrows(NoSuchBookException.class, () -> b.price(UNKNOWN));
    assertEquals(1, loads("price", UNKNOWN), "server B rethrew the exception server A cached");
    long ttl = pttl("price-failures", UNKNOWN);
    assertTrue(ttl > TimeUnit.MINUTES.toMillis(9) && ttl <= TimeUnit.MINUTES.toMillis(10), "PTTL " + ttl + " ms");
  }

  /** Calls of the catalog operation in both applications together. */
  private static int loads(String operation, String isbn) {
    return serverA.getBean(Catalog.class).calls(operation, isbn) + serverB.getBean(Catalog.class).calls(operation, isbn);
  }

  /** PTTL of the entry of {@code key} in {@code cache}, read with plain Redis commands; -2 when there is none. */
  private static long pttl(String cache, String key) {
    String pattern = namespace + ":{" + cache + ":*}:" + key;
    for (LocalRedisCluster.Node master : cluster.masters()) {
      try (Jedis jedis = master.connect()) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
          ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(pattern).count(1000));
          if (!page.getResult().isEmpty()) {
            return jedis.pttl(page.getResult().get(0));
          }
          cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      }
    }
    return -2;
  }

  /** A connection to the master that owns {@code key}'s slot; the others answer MOVED. */
  private static Jedis ownerOf(String key) {
    for (LocalRedisCluster.Node master : cluster.masters()) {
      Jedis jedis = master.connect();
      try {
        jedis.exists(key);
        return jedis;
      } catch (JedisMovedDataException moved) {
        jedis.close();
      }
    }
    throw new AssertionError("no master owns the slot of " + key);
  }
}
