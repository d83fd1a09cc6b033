package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.spi.SlotcacheCachingProvider;
import java.io.Writer;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheManagerTest extends ClusterTest {

  @Test
  void discovery_findsExactlyOneProvider() {
    int count = 0;
    for (CachingProvider p : Caching.getCachingProviders()) {
      assertTrue(p instanceof SlotcacheCachingProvider);
      count++;
    }
    assertEquals(1, count);
  }

  @Test
  void getCacheManager_sameUriAndLoader_sameInstance_andKeepsTheUri() {
    URI uri = clusterUri(namespace);
    assertSame(manager, provider.getCacheManager(uri, getClass().getClassLoader()));
    assertEquals(uri, manager.getURI());
    assertSame(provider.getCacheManager(), provider.getCacheManager(provider.getDefaultURI(),
        provider.getDefaultClassLoader()));
  }

  @Test
  void getCacheManager_otherClassLoader_otherInstance() throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new java.net.URL[0], getClass().getClassLoader())) {
      CacheManager other = provider.getCacheManager(clusterUri(namespace), loader);
      assertNotSame(manager, other);
      assertSame(loader, other.getClassLoader());
      other.close();
    }
  }

  @Test
  void close_thenGetCacheManager_givesANewOne() {
    URI uri = clusterUri(namespace);
    CacheManager first = provider.getCacheManager(uri, getClass().getClassLoader());
    first.close();
    assertTrue(first.isClosed());
    assertThrows(IllegalStateException.class, () -> first.getCacheNames());
    manager = provider.getCacheManager(uri, getClass().getClassLoader());
    assertNotSame(first, manager);
    assertFalse(manager.isClosed());
  }

  @Test
  void createCache_twice_throws_andNamesAreListed() {
    manager.createCache("a", new MutableConfiguration<>());
    assertThrows(CacheException.class, () -> manager.createCache("a", new MutableConfiguration<>()));
    manager.createCache("b", new MutableConfiguration<>());
    Set<String> names = new HashSet<>();
    manager.getCacheNames().forEach(names::add);
    assertEquals(Set.of("a", "b"), names);
  }

  @Test
  void getCache_unknown_isNull() {
    assertNull(manager.getCache("never-created"));
  }

  @Test
  void destroyCache_removesTheDataFromTheCluster() {
    Cache<String, String> cache = manager.createCache("doomed", new MutableConfiguration<>());
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, "v");
    }
    manager.destroyCache("doomed");
    assertTrue(cache.isClosed());
    assertNull(manager.getCache("doomed"));
    Cache<String, String> again = manager.createCache("doomed", new MutableConfiguration<>());
    assertFalse(again.iterator().hasNext());
    assertEquals(0, countKeysWithPrefix(namespace + ":{doomed:"));
  }

  @Test
  void secondManagerOnTheSameNamespace_seesTheSameCacheAndLayout() {
    Cache<String, String> cache = manager.createCache("shared",
        new SlotcacheConfiguration<String, String>().setSegments(16).setTypes(String.class, String.class));
    cache.put("k", "v");
    Cache<String, String> seen = secondJvm(clusterUri(namespace)).getCache("shared", String.class, String.class);
    assertEquals("v", seen.get("k"));
    assertEquals(16, SlotcacheConfiguration.of(seen).getSegments());
    seen.put("k2", "from the other side");
    assertEquals("from the other side", cache.get("k2"));
    // Creating the same cache again elsewhere adopts the recorded layout instead of failing.
    Cache<String, String> adopted = secondJvm(clusterUri(namespace)).createCache("shared",
        new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    assertEquals(16, SlotcacheConfiguration.of(adopted).getSegments());
    CacheManager fourth = secondJvm(clusterUri(namespace));
    CacheException e = assertThrows(CacheException.class, () -> fourth.createCache("shared",
        new MutableConfiguration<Integer, String>().setTypes(Integer.class, String.class)));
    assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
  }

  @Test
  void namespaces_isolateCachesOfTheSameName() {
    Cache<String, String> mine = manager.createCache("same", new MutableConfiguration<>());
    mine.put("k", "mine");
    CacheManager other = openManager(clusterUri(namespace + "-other"), new Properties());
    Cache<String, String> theirs = other.createCache("same", new MutableConfiguration<>());
    assertNull(theirs.get("k"));
    theirs.put("k", "theirs");
    assertEquals("mine", mine.get("k"));
  }

  @Test
  void plainUri_isANamespaceOnTheDefaultCluster() {
    String previous = System.getProperty("slotcache.uri");
    System.setProperty("slotcache.uri", cluster.uri() + "/ignored");
    try {
      CacheManager byName = provider.getCacheManager(URI.create("urn:app:" + namespace), getClass().getClassLoader());
      assertEquals("app:" + namespace, ((SlotcacheCacheManager) byName).getNamespace());
      Cache<String, String> cache = byName.createCache("c", new MutableConfiguration<>());
      cache.put("k", "v");
      assertEquals("v", cache.get("k"));
      byName.destroyCache("c");
      byName.close();
      CacheManager byDefault = new SlotcacheCachingProvider().getCacheManager();
      assertEquals("ignored", ((SlotcacheCacheManager) byDefault).getNamespace());
      byDefault.close();
    } finally {
      if (previous == null) {
        System.clearProperty("slotcache.uri");
      } else {
        System.setProperty("slotcache.uri", previous);
      }
    }
  }

  @Test
  void propertiesFileUri_loadsClusterNamespaceAndPerCacheSettings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("slotcache.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      Properties p = new Properties();
      p.setProperty("slotcache.uri", cluster.uri() + "/" + namespace + "-file");
      p.setProperty("slotcache.cache.tuned.segments", "8");
      p.store(out, null);
    }
    CacheManager fromFile = openManager(file.toUri(), new Properties());
    assertEquals(namespace + "-file", ((SlotcacheCacheManager) fromFile).getNamespace());
    Cache<String, String> tuned = fromFile.createCache("tuned", new MutableConfiguration<>());
    assertEquals(8, SlotcacheConfiguration.of(tuned).getSegments());
    tuned.put("k", "v");
    assertEquals("v", tuned.get("k"));
  }

  @Test
  void properties_overrideUriOptions() {
    CacheManager both = openManager(URI.create(cluster.uri() + "/" + namespace + "-p?segments=64"),
        properties("slotcache.segments", "4"));
    assertEquals(4, SlotcacheConfiguration.of(both.createCache("c", new MutableConfiguration<>())).getSegments());
    CacheManager fromQuery = openManager(URI.create(cluster.uri() + "/" + namespace + "-q?segments=64"),
        new Properties());
    assertEquals(64, SlotcacheConfiguration.of(fromQuery.createCache("c", new MutableConfiguration<>())).getSegments());
  }

  @Test
  void providerClose_closesEveryManager() {
    SlotcacheCachingProvider own = new SlotcacheCachingProvider();
    CacheManager a = own.getCacheManager(clusterUri(namespace + "-a"), getClass().getClassLoader());
    CacheManager b = own.getCacheManager(clusterUri(namespace + "-b"), getClass().getClassLoader());
    own.close();
    assertTrue(a.isClosed());
    assertTrue(b.isClosed());
  }

  @Test
  void manager_closeReleasesEveryConnectionAndThread() throws Exception {
    int before = slotcacheThreads();
    SlotcacheCachingProvider own = new SlotcacheCachingProvider();
    CacheManager m = own.getCacheManager(clusterUri(namespace + "-t"), getClass().getClassLoader());
    Cache<String, String> c = m.createCache("c", new MutableConfiguration<>());
    java.util.Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 300; i++) {
      many.put("k" + i, "v");
    }
    c.putAll(many);
    assertEquals(300, c.getAll(many.keySet()).size());
    long clientsBefore = clientCount();
    m.destroyCache("c");
    m.close();
    Thread.sleep(200);
    assertTrue(clientCount() < clientsBefore, "connections closed");
    long deadline = System.currentTimeMillis() + 5_000;
    while (slotcacheThreads() > before && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(before, slotcacheThreads(), "slotcache threads left running");
  }

  private static int slotcacheThreads() {
    int count = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("slotcache-") && t.isAlive()) {
        count++;
      }
    }
    return count;
  }

  private long clientCount() {
    long total = 0;
    for (var master : cluster.masters()) {
      try (redis.clients.jedis.Jedis jedis = master.connect()) {
        for (String line : jedis.clientList().split("\n")) {
          if (line.contains("name=slotcache")) {
            total++;
          }
        }
      }
    }
    return total;
  }

  private long countKeysWithPrefix(String prefix) {
    long count = 0;
    for (var master : cluster.masters()) {
      try (redis.clients.jedis.Jedis jedis = master.connect()) {
        for (String key : jedis.keys("*")) {
          if (key.startsWith(prefix)) {
            count++;
          }
        }
      }
    }
    return count;
  }
}
