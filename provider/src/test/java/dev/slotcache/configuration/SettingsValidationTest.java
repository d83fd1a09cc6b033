package dev.slotcache.configuration;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every setting, manager-wide and per cache, is checked when the CacheManager is created: before any cache
 * exists and before any connection is made.
 */
class SettingsValidationTest extends ClusterTest {

  @Test
  void badManagerWideValues_failWhenTheManagerIsCreated_namingKeyValueAndWhatIsAllowed() {
    assertEachRefused(new String[][] {
        // key, bad value, part of the message that says what is allowed
        {"slotcache.segments", "0", "1 to 16384"},
        {"slotcache.segments", "many", "1 to 16384"},
        {"slotcache.ttl-jitter", "51", "0 to 50"},
        {"slotcache.max-ttl", "0", "positive duration"},
        {"slotcache.max-ttl", "soon", "positive duration"},
        {"slotcache.timeout", "0", "positive duration"},
        {"slotcache.max-retry-time", "forever", "positive duration"},
        {"slotcache.tls", "yes", "true or false"},
        {"slotcache.pool-size", "0", "1 to 10000"},
        {"slotcache.max-attempts", "101", "1 to 100"},
        {"slotcache.invoke.max-retries", "0", "1 to 100000"},
        {"slotcache.max-value-bytes", "0", "positive size"},
        {"slotcache.max-value-bytes", "lots", "positive size"},
        {"slotcache.client-name", "my app", "without spaces"},
        {"slotcache.codec.allowed-classes", "com.acme.Order;com.acme.Line", "class patterns"},
        {"slotcache.expire-after-write", "-1s", "duration"},
    });
  }

  @Test
  void badPerCacheValues_failWhenTheManagerIsCreated() {
    assertEachRefused(new String[][] {
        {"slotcache.cache.orders.segments", "0", "1 to 16384"},
        {"slotcache.cache.orders.max-ttl", "1 hour", "positive duration"},
    });
  }

  @Test
  void perCacheKeys_ofCacheNamesWithDots_areMatchedByTheSettingAtTheEnd() {
    assertMessage(refused("slotcache.cache.com.acme.Order.ttl-jitter", "80"),
        "slotcache.cache.com.acme.Order.ttl-jitter", "'80'", "0 to 50");
    CacheManager manager = open("slotcache.cache.com.acme.Order.segments", "8",
        "slotcache.cache.com.acme.segments", "4");
    Cache<Object, Object> order = manager.createCache("com.acme.Order", new MutableConfiguration<>());
    Cache<Object, Object> acme = manager.createCache("com.acme", new MutableConfiguration<>());
    assertEquals(8, SlotcacheConfiguration.of(order).getSegments());
    assertEquals(4, SlotcacheConfiguration.of(acme).getSegments());
  }

  @Test
  void perCacheKey_ofAManagerWideSetting_isRefused() {
    assertMessage(refused("slotcache.cache.orders.timeout", "1s"),
        "slotcache.cache.orders.timeout", "manager-wide", "slotcache.timeout");
    assertMessage(refused("slotcache.cache.com.acme.Order.invoke.max-retries", "3"),
        "slotcache.cache.com.acme.Order.invoke.max-retries", "manager-wide", "slotcache.invoke.max-retries");
  }

  @Test
  void perCacheTypo_listsThePerCacheSettings() {
    CacheException e = refused("slotcache.cache.orders.expire-after-wirte", "1m");
    assertMessage(e, "slotcache.cache.orders.expire-after-wirte", "segments", "ttl-jitter", "max-ttl",
        "expire-after-write", "expire-after-create", "expire-after-access", "statistics", "management");
    assertFalse(e.getMessage().contains("pool-size"), "lists manager-wide settings as per-cache: " + e.getMessage());
  }

  @Test
  void passwords_areNeverPrinted() {
    CacheException perCache = refused("slotcache.cache.orders.password", "s3cr3t-value");
    assertMessage(perCache, "slotcache.cache.orders.password", "manager-wide");
    assertFalse(perCache.getMessage().contains("s3cr3t"), perCache.getMessage());
    Properties defaultCluster = new Properties();
    defaultCluster.setProperty("slotcache.uri", "http://app:s3cr3t-value@10.0.0.1:7000/shop");
    CacheException uri = assertThrows(CacheException.class, () -> provider.getCacheManager(
        URI.create("urn:app:" + UUID.randomUUID()), getClass().getClassLoader(), defaultCluster));
    assertTrue(uri.getMessage().contains("redis://"), uri.getMessage());
    assertFalse(uri.getMessage().contains("s3cr3t"), uri.getMessage());
  }

  @Test
  void twoExpirySettingsAtOneLevel_areRefusedWhenTheManagerIsCreated() {
    assertMessage(refused("slotcache.expire-after-write", "1m", "slotcache.expire-after-access", "1m"),
        "slotcache.expire-after-write", "slotcache.expire-after-access", "only one");
    assertMessage(refused("slotcache.cache.orders.expire-after-create", "1m",
        "slotcache.cache.orders.expire-after-write", "1m"),
        "slotcache.cache.orders.expire-after-create", "slotcache.cache.orders.expire-after-write", "only one");
  }

  @Test
  void everyDefault_isAllowedByItsOwnSetting_andThePerCacheSettingsAreKnown() {
    for (SlotcacheSettings.Setting<?> setting : SlotcacheSettings.all()) {
      if (setting.defaultValue() != null) {
        setting.parse(setting.key(), setting.defaultValue());
      }
      assertFalse(setting.allowed().isBlank(), setting.key());
      assertTrue(setting.key().equals(SlotcacheSettings.PREFIX + setting.name()), setting.key());
    }
    assertEquals(List.of("segments", "ttl-jitter", "max-ttl", "near-cache.max-entries", "near-cache.max-ttl",
        "refresh-ahead", "single-flight", "expire-after-write", "expire-after-create", "expire-after-access",
        "statistics", "management"),
        SlotcacheSettings.perCacheNames());
  }

  @Test
  void configurationSetters_checkTheSameBoundsAsTheSettings() {
    SlotcacheConfiguration<Object, Object> configuration = new SlotcacheConfiguration<>();
    configuration.setSegments(SlotcacheSettings.MAX_SEGMENTS).setTtlJitterPercent(SlotcacheSettings.MAX_TTL_JITTER_PERCENT);
    assertThrows(IllegalArgumentException.class, () -> configuration.setSegments(SlotcacheSettings.MAX_SEGMENTS + 1));
    assertThrows(IllegalArgumentException.class, () -> configuration.setSegments(SlotcacheSettings.MIN_SEGMENTS - 1));
    assertThrows(IllegalArgumentException.class,
        () -> configuration.setTtlJitterPercent(SlotcacheSettings.MAX_TTL_JITTER_PERCENT + 1));
    assertEquals("a whole number from " + SlotcacheSettings.MIN_SEGMENTS + " to " + SlotcacheSettings.MAX_SEGMENTS,
        SlotcacheSettings.SEGMENTS.allowed());
  }

  private CacheManager open(String... keyValues) {
    return openManager(URI.create(cluster.uri() + "/v-" + UUID.randomUUID().toString().substring(0, 8)),
        properties(keyValues));
  }

  /** Each case — key, bad value, part of the message that says what is allowed — fails naming all three. */
  private void assertEachRefused(String[][] cases) {
    List<Executable> checks = new ArrayList<>();
    for (String[] c : cases) {
      checks.add(() -> assertMessage(refused(c[0], c[1]), c[0], "'" + c[1] + "'", c[2]));
    }
    assertAll(checks);
  }

  private CacheException refused(String... keyValues) {
    return assertThrows(CacheException.class, () -> open(keyValues), () -> String.join("=", keyValues));
  }

  private static void assertMessage(CacheException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
    }
  }
}
