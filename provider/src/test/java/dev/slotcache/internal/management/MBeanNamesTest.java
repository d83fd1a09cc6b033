package dev.slotcache.internal.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.slotcache.LogCapture;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The names of a cache's two MXBeans: hostile cache names and manager URIs with credentials and options still
 * give two findable beans per cache, without the password, and none after the cache is gone.
 */
@ExtendWith(RedisClusterExtension.class)
class MBeanNamesTest {

  private static final String USER = "jmxuser";
  private static final String PASSWORD = "s3cret";
  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
  private static final List<String> HOSTILE = List.of("a*", "x{y}", "a,b", "k=v", "a:b", "\"q\"", "?", "line\nbreak");

  private static final CachingProvider PROVIDER = Caching.getCachingProvider();

  private static LocalRedisCluster cluster;

  @BeforeAll
  static void createAclUser(LocalRedisCluster shared) {
    cluster = shared;
    cluster.setAclUser(USER, "on", ">" + PASSWORD, "~*", "&*", "+@all");
  }

  @AfterAll
  static void deleteAclUser() {
    cluster.deleteAclUser(USER);
  }

  /** A manager URI with user, password (in the user info and as an option) and options, on a fresh namespace. */
  private static URI uriWithCredentials(String namespace) {
    return URI.create(cluster.uri().replace("redis://", "redis://" + USER + ":" + PASSWORD + "@") + "/" + namespace
        + "?timeout=2s&client-name=server-a&password=" + PASSWORD);
  }

  private static String freshNamespace() {
    return "jmx-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static MutableConfiguration<String, String> configuration(boolean managed) {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class)
        .setStatisticsEnabled(managed).setManagementEnabled(managed);
  }

  @TestFactory
  List<DynamicTest> createCache_withStatisticsAndManagement_registersBothBeans_withoutThePassword() {
    return forEveryHostileName((name, namespace) -> {
      try (CacheManager manager = openWithCredentials(namespace)) {
        Cache<String, String> cache = manager.createCache(name, configuration(true));
        assertBothBeansWork(namespace, name, cache);
        manager.destroyCache(name);
        assertEquals(Set.of(), beansOf(namespace), "beans left after destroyCache");
      }
    });
  }

  @TestFactory
  List<DynamicTest> enableStatisticsAndManagement_later_registersBothBeans_withoutThePassword() {
    return forEveryHostileName((name, namespace) -> {
      CacheManager manager = openWithCredentials(namespace);
      try {
        Cache<String, String> cache = manager.createCache(name, configuration(false));
        assertEquals(Set.of(), beansOf(namespace));
        manager.enableStatistics(name, true);
        manager.enableManagement(name, true);
        assertBothBeansWork(namespace, name, cache);
        manager.enableStatistics(name, false);
        manager.enableManagement(name, false);
        assertEquals(Set.of(), beansOf(namespace), "beans left after switching off");
        manager.enableStatistics(name, true);
        manager.enableManagement(name, true);
        assertEquals(2, beansOf(namespace).size());
      } finally {
        manager.close();
      }
      assertEquals(Set.of(), beansOf(namespace), "beans left after close");
      try (CacheManager again = openWithCredentials(namespace)) {
        again.destroyCache(name);
      }
    });
  }

  /** A test of each hostile cache name, each on a fresh namespace. */
  private static List<DynamicTest> forEveryHostileName(HostileNameTest test) {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : HOSTILE) {
      tests.add(DynamicTest.dynamicTest(printable(name), () -> test.run(name, freshNamespace())));
    }
    return tests;
  }

  /** One test of a hostile cache name on a namespace of its own. */
  @FunctionalInterface
  private interface HostileNameTest {
    void run(String cacheName, String namespace) throws Exception;
  }

  private CacheManager openWithCredentials(String namespace) {
    return PROVIDER.getCacheManager(uriWithCredentials(namespace), getClass().getClassLoader(), new Properties());
  }

  @Test
  void specNames_areKeptForValuesThatNeedNoQuotes() throws JMException {
    String namespace = freshNamespace();
    Properties properties = new Properties();
    properties.setProperty("slotcache.uri", cluster.uri());
    try (CacheManager manager = PROVIDER.getCacheManager(URI.create("urn:slotcache:" + namespace),
        getClass().getClassLoader(), properties)) {
      manager.createCache("a,b=c:d", configuration(true));
      // Built exactly as the JCache TCK builds it.
      for (String type : List.of("CacheStatistics", "CacheConfiguration")) {
        ObjectName name = new ObjectName("javax.cache:type=" + type + ",CacheManager=urn.slotcache." + namespace
            + ",Cache=a.b.c.d");
        assertTrue(SERVER.isRegistered(name), name + " is not registered");
      }
      manager.destroyCache("a,b=c:d");
    }
  }

  @Test
  void namesThatMapToOneBeanName_firstKeepsTheBean_secondIsWarnedAbout() throws JMException {
    String namespace = freshNamespace();
    try (CacheManager manager = PROVIDER.getCacheManager(URI.create(cluster.uri() + "/" + namespace),
        getClass().getClassLoader(), new Properties());
        LogCapture log = new LogCapture()) {
      Cache<String, String> first = manager.createCache("a,b", configuration(true));
      Cache<String, String> second = manager.createCache("a.b", configuration(true));
      assertEquals(2, beansOf(namespace).size(), beansOf(namespace).toString());
      first.put("k", "v");
      first.get("k");
      second.put("k", "v");
      second.get("k");
      second.get("k");
      ObjectName statistics = only(beansOf(namespace), "CacheStatistics");
      assertEquals(1L, SERVER.getAttribute(statistics, "CacheHits"), "the bean must stay the first cache's");
      assertTrue(log.has(Level.WARN, m -> m.contains("'a.b'") && m.contains("'a,b'")), log.all());

      manager.enableStatistics("a.b", false);
      manager.destroyCache("a.b");
      assertEquals(2, beansOf(namespace).size(), "the second cache took the first one's beans away");
      assertEquals(1L, SERVER.getAttribute(statistics, "CacheHits"));
      manager.destroyCache("a,b");
      assertEquals(Set.of(), beansOf(namespace));
    }
  }

  private static void assertBothBeansWork(String namespace, String cacheName, Cache<String, String> cache)
      throws JMException {
    Set<ObjectName> all = SERVER.queryNames(new ObjectName("javax.cache:*"), null);
    for (ObjectName name : all) {
      String text = name.toString();
      assertFalse(text.contains(PASSWORD) || text.contains(USER), "credentials in " + text);
    }
    Set<ObjectName> ours = beansOf(namespace);
    assertEquals(2, ours.size(), ours.toString());
    ObjectName statistics = only(ours, "CacheStatistics");
    ObjectName configuration = only(ours, "CacheConfiguration");
    for (ObjectName name : ours) {
      String value = name.getKeyProperty("Cache");
      String shown = value.startsWith("\"") ? ObjectName.unquote(value) : value;
      assertTrue(shown.equals(cacheName) || shown.equals(cacheName.replaceAll("[,:=\n]", ".")),
          "Cache=" + value + " does not name " + printable(cacheName));
    }
    assertEquals(Boolean.TRUE, SERVER.getAttribute(configuration, "StatisticsEnabled"));
    assertEquals(String.class.getName(), SERVER.getAttribute(configuration, "KeyType"));
    cache.put("k", "v");
    assertEquals("v", cache.get("k"));
    assertEquals(1L, SERVER.getAttribute(statistics, "CacheHits"));
    assertEquals(1L, SERVER.getAttribute(statistics, "CachePuts"));
  }

  /** The javax.cache beans whose manager URI contains {@code namespace}. */
  private static Set<ObjectName> beansOf(String namespace) throws JMException {
    return SERVER.queryNames(new ObjectName("javax.cache:*"), null).stream()
        .filter(name -> name.getKeyProperty("CacheManager").contains(namespace))
        .collect(Collectors.toSet());
  }

  private static ObjectName only(Set<ObjectName> names, String type) {
    List<ObjectName> found = names.stream().filter(n -> type.equals(n.getKeyProperty("type"))).toList();
    assertEquals(1, found.size(), type + " beans: " + found);
    return found.get(0);
  }

  private static String printable(String name) {
    return name.replace("\n", "\\n");
  }
}
