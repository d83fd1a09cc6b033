package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.configuration.SlotcacheSettings;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.RedisClusterExtension;
import dev.slotcache.testkit.RedisServerBinary;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/** URI and settings resolution; no network involved. */
class ManagerSetupTest {

  private static ManagerSetup resolve(String uri) {
    return resolve(uri, new Properties());
  }

  private static ManagerSetup resolve(String uri, Properties properties) {
    return ManagerSetup.resolve(URI.create(uri), ManagerSetupTest.class.getClassLoader(), properties);
  }

  @Test
  void redisUri_givesSeedsCredentialsNamespaceAndOptions() {
    ManagerSetup setup = resolve("redis://app:s%40cret@10.0.0.5:7000,10.0.0.6:7001/shop?timeout=500ms&pool-size=4");
    assertEquals(List.of("10.0.0.5:7000", "10.0.0.6:7001"), setup.endpoint.seeds());
    assertEquals("app", setup.endpoint.user());
    assertEquals("s@cret", setup.endpoint.password());
    assertEquals("shop", setup.namespace);
    assertEquals(Duration.ofMillis(500), setup.endpoint.timeout());
    assertEquals(4, setup.endpoint.poolSizePerNode());
    assertFalse(setup.endpoint.tls());
    assertFalse(setup.endpoint.toString().contains("s@cret"));
  }

  @Test
  void redissUri_meansTls_andDefaultNamespace() {
    ManagerSetup setup = resolve("rediss://host:6380");
    assertTrue(setup.endpoint.tls());
    assertEquals("slotcache", setup.namespace);
  }

  @Test
  void properties_overrideUriOptions() {
    Properties properties = new Properties();
    properties.setProperty("slotcache.timeout", "3s");
    properties.setProperty("slotcache.password", "fromProps");
    ManagerSetup setup = resolve("redis://u:p@host:1/ns?timeout=1s", properties);
    assertEquals(Duration.ofSeconds(3), setup.endpoint.timeout());
    assertEquals("fromProps", setup.endpoint.password());
  }

  @Test
  void urnUri_isANamespaceOnTheDefaultCluster() {
    Properties properties = new Properties();
    properties.setProperty("slotcache.uri", "redis://default-host:7000/ignored");
    ManagerSetup setup = resolve("urn:app:orders", properties);
    assertEquals("app:orders", setup.namespace);
    assertEquals(List.of("default-host:7000"), setup.endpoint.seeds());
  }

  @Test
  void defaultUri_takesTheDefaultClustersNamespace() {
    Properties properties = new Properties();
    properties.setProperty("slotcache.uri", "redis://default-host:7000/mine");
    ManagerSetup setup = ManagerSetup.resolve(SlotcacheCachingProvider.DEFAULT_URI, getClass().getClassLoader(),
        properties);
    assertEquals("mine", setup.namespace);
  }

  @Test
  void classpathUri_loadsTheFile() {
    ManagerSetup setup = resolve("classpath:test-slotcache.properties");
    assertEquals(List.of("10.1.1.1:7000"), setup.endpoint.seeds());
    assertEquals("from-file", setup.namespace);
    assertEquals("16", setup.settings.forCache("tuned", SlotcacheSettings.SEGMENTS));
    assertEquals("256", setup.settings.forCache("other", SlotcacheSettings.SEGMENTS));
  }

  @Test
  void missingResource_andBadValues_areClearErrors() {
    assertTrue(assertThrows(CacheException.class, () -> resolve("classpath:nope.properties")).getMessage()
        .contains("nope.properties"));
    Properties bad = new Properties();
    bad.setProperty("slotcache.timeout", "soon");
    assertTrue(assertThrows(CacheException.class, () -> resolve("redis://h:1", bad)).getMessage()
        .contains("slotcache.timeout"));
    Properties unknown = new Properties();
    unknown.setProperty("slotcache.cache.x.colour", "blue");
    assertTrue(assertThrows(CacheException.class, () -> resolve("redis://h:1", unknown)).getMessage()
        .contains("slotcache.cache.x.colour"));
  }

  @Test
  void testKitProperties_areNoSettings() {
    assertFalse(RedisClusterExtension.URI_PROPERTY.startsWith(SlotcacheSettings.PREFIX));
    assertFalse(RedisServerBinary.SYSTEM_PROPERTY.startsWith(SlotcacheSettings.PREFIX));
    String before = System.getProperty(RedisClusterExtension.URI_PROPERTY);
    System.setProperty(RedisClusterExtension.URI_PROPERTY, "redis://elsewhere:7000");
    try {
      assertEquals(List.of("h:1"), resolve("redis://h:1").endpoint.seeds(), "the test kit's URI is no setting");
    } finally {
      if (before == null) {
        System.clearProperty(RedisClusterExtension.URI_PROPERTY);
      } else {
        System.setProperty(RedisClusterExtension.URI_PROPERTY, before);
      }
    }
  }

  @Test
  void mask_hidesPasswords() {
    assertEquals("redis://u:****@h:1/ns", ManagerSetup.mask("redis://u:secret@h:1/ns"));
  }
}
