package dev.slotcache.configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * {@code slotcache.statistics} / {@code slotcache.management} and their per-cache forms switch the two MXBeans
 * on without code, as Spring Boot's actuator needs; read here from the platform MBeanServer.
 */
class DeclarativeStatisticsTest extends ClusterTest {

  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  @Test
  void managerWideStatistics_registerEveryCachesStatisticsBean_whichCounts() throws Exception {
    CacheManager manager = open(cluster.uri(), "slotcache.statistics", "true");
    Cache<String, String> books = manager.createCache("books", new MutableConfiguration<>());
    books.put("k", "v");
    books.get("k");
    books.get("missing");
    ObjectName name = beanName("CacheStatistics", manager, "books");
    assertTrue(SERVER.isRegistered(name), name + " not registered");
    assertEquals(1L, SERVER.getAttribute(name, "CachePuts"));
    assertEquals(1L, SERVER.getAttribute(name, "CacheHits"));
    assertEquals(1L, SERVER.getAttribute(name, "CacheMisses"));
    assertTrue(SlotcacheConfiguration.of(books).isStatisticsEnabled());
    assertFalse(SERVER.isRegistered(beanName("CacheConfiguration", manager, "books")), "management stays off");
  }

  @Test
  void perCacheSettings_winOverManagerWideOnes() throws Exception {
    CacheManager manager = open(cluster.uri(), "slotcache.statistics", "true",
        "slotcache.cache.quiet.statistics", "false", "slotcache.cache.com.acme.Order.management", "true");
    manager.createCache("quiet", new MutableConfiguration<>());
    manager.createCache("com.acme.Order", new MutableConfiguration<>());
    assertFalse(SERVER.isRegistered(beanName("CacheStatistics", manager, "quiet")));
    assertTrue(SERVER.isRegistered(beanName("CacheStatistics", manager, "com.acme.Order")));
    ObjectName management = beanName("CacheConfiguration", manager, "com.acme.Order");
    assertTrue(SERVER.isRegistered(management), management + " not registered");
    assertEquals("java.lang.Object", SERVER.getAttribute(management, "KeyType"));
    assertFalse(SERVER.isRegistered(beanName("CacheConfiguration", manager, "quiet")));
  }

  @Test
  void declaredFalse_doesNotSwitchOffWhatCodeSwitchedOn() throws Exception {
    CacheManager manager = open(cluster.uri(), "slotcache.cache.counted.statistics", "false");
    manager.createCache("counted", new MutableConfiguration<>().setStatisticsEnabled(true));
    assertTrue(SERVER.isRegistered(beanName("CacheStatistics", manager, "counted")));
  }

  @Test
  void aCacheFoundInTheCluster_getsTheDeclaredSettingsOfTheManagerThatOpensIt() throws Exception {
    CacheManager creator = open(cluster.uri());
    creator.createCache("shared", new MutableConfiguration<>());
    // Another application instance: same cluster and namespace, statistics declared.
    List<String> seeds = cluster.masters().stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.toList());
    java.util.Collections.reverse(seeds);
    CacheManager reader = open("redis://" + String.join(",", seeds), "slotcache.statistics", "true");
    Cache<Object, Object> shared = reader.getCache("shared");
    shared.get("nothing");
    ObjectName name = beanName("CacheStatistics", reader, "shared");
    assertTrue(SERVER.isRegistered(name), name + " not registered");
    assertEquals(1L, SERVER.getAttribute(name, "CacheMisses"));
    assertFalse(SERVER.isRegistered(beanName("CacheStatistics", creator, "shared")));
  }

  @Test
  void byDefault_neitherBeanIsRegistered() throws Exception {
    CacheManager manager = open(cluster.uri());
    Cache<Object, Object> plain = manager.createCache("plain", new MutableConfiguration<>());
    assertFalse(SlotcacheConfiguration.of(plain).isStatisticsEnabled());
    assertFalse(SlotcacheConfiguration.of(plain).isManagementEnabled());
    assertFalse(SERVER.isRegistered(beanName("CacheStatistics", manager, "plain")));
    assertFalse(SERVER.isRegistered(beanName("CacheConfiguration", manager, "plain")));
  }

  /** A CacheManager on a namespace of this test (not the base manager's) of the cluster {@code clusterUri} names. */
  private CacheManager open(String clusterUri, String... keyValues) {
    return openManager(URI.create(clusterUri + "/" + namespace + "-declared"), properties(keyValues));
  }

  /** The spec's name: {@code , : =} in the manager URI and cache name become {@code .}. */
  private static ObjectName beanName(String type, CacheManager manager, String cacheName)
      throws MalformedObjectNameException {
    return new ObjectName("javax.cache:type=" + type + ",CacheManager="
        + manager.getURI().toString().replaceAll("[,:=]", ".") + ",Cache=" + cacheName.replaceAll("[,:=]", "."));
  }
}
