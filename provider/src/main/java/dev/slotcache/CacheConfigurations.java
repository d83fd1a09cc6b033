package dev.slotcache;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.configuration.SlotcacheSettings;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration a cache really gets in one manager: the caller's, completed from the manager's resolved
 * settings (per cache, then manager-wide), and reconciled with what another JVM recorded in the cluster.
 * Immutable and thread-safe.
 */
final class CacheConfigurations {

  private static final Logger LOG = LoggerFactory.getLogger(SlotcacheCacheManager.class);

  private final SlotcacheSettings settings;
  private final String namespace;
  private final ClassLoader classLoader;

  CacheConfigurations(SlotcacheSettings settings, String namespace, ClassLoader classLoader) {
    this.settings = settings;
    this.namespace = namespace;
    this.classLoader = classLoader;
  }

  /** Which parts of a createCache configuration its caller chose, rather than left to defaults. */
  CacheDescriptor.Choices choices(String cacheName, Configuration<?, ?> given) {
    SlotcacheConfiguration<?, ?> own = given instanceof SlotcacheConfiguration<?, ?> s ? s : null;
    boolean expiry = given instanceof CompleteConfiguration<?, ?> complete
        && !isDefaultExpiry(complete.getExpiryPolicyFactory())
        || settings.ownOfCache(cacheName, SlotcacheSettings.EXPIRE_AFTER_WRITE) != null
        || settings.ownOfCache(cacheName, SlotcacheSettings.EXPIRE_AFTER_CREATE) != null
        || settings.ownOfCache(cacheName, SlotcacheSettings.EXPIRE_AFTER_ACCESS) != null;
    return new CacheDescriptor.Choices(
        own != null && own.getSegments() != null || settings.ownOfCache(cacheName, SlotcacheSettings.SEGMENTS) != null,
        expiry,
        own != null && own.getTtlJitterPercent() != null
            || settings.ownOfCache(cacheName, SlotcacheSettings.TTL_JITTER) != null,
        own != null && own.getMaxTtl() != null || settings.ownOfCache(cacheName, SlotcacheSettings.MAX_TTL) != null);
  }

  /** Applies a recorded descriptor to this JVM's configuration of the cache, saying what that changed. */
  void adopt(String cacheName, CacheDescriptor recorded, SlotcacheConfiguration<?, ?> effective) {
    java.util.List<String> changed = recorded.applyTo(effective, classLoader, cacheName);
    if (!changed.isEmpty()) {
      LOG.info("cache {} in namespace {}: using the configuration its creator recorded in the cluster ({}) over "
          + "this JVM's defaults ({})", cacheName, namespace, recorded, String.join(", ", changed));
    }
  }

  /**
   * The configuration a new cache really gets: a copy of the caller's, with per-cache declarative settings and
   * manager defaults filled in where the caller left them open. Declared statistics and management only switch
   * on: a declared {@code false} leaves what the caller's configuration switched on.
   */
  <K, V> SlotcacheConfiguration<K, V> effective(String cacheName, Configuration<K, V> given) {
    SlotcacheConfiguration<K, V> effective;
    if (given instanceof CompleteConfiguration<K, V> complete) {
      effective = new SlotcacheConfiguration<>(complete);
    } else {
      effective = new SlotcacheConfiguration<>();
      effective.setTypes(given.getKeyType(), given.getValueType());
      effective.setStoreByValue(given.isStoreByValue());
    }
    if (effective.getSegments() == null) {
      effective.setSegments(settings.valueForCache(cacheName, SlotcacheSettings.SEGMENTS));
    }
    if (effective.getTtlJitterPercent() == null) {
      effective.setTtlJitterPercent(settings.valueForCache(cacheName, SlotcacheSettings.TTL_JITTER));
    }
    java.time.Duration maxTtl = settings.valueForCache(cacheName, SlotcacheSettings.MAX_TTL);
    if (effective.getMaxTtl() == null && maxTtl != null) {
      effective.setMaxTtl(maxTtl);
    }
    if (effective.getNearCacheMaxEntries() == null) {
      effective.setNearCacheMaxEntries(settings.valueForCache(cacheName, SlotcacheSettings.NEAR_CACHE_MAX_ENTRIES));
    }
    if (effective.getNearCacheMaxTtl() == null) {
      effective.setNearCacheMaxTtl(settings.valueForCache(cacheName, SlotcacheSettings.NEAR_CACHE_MAX_TTL));
    }
    Double refreshAhead = settings.valueForCache(cacheName, SlotcacheSettings.REFRESH_AHEAD);
    if (effective.getRefreshAhead() == null && refreshAhead != null) {
      effective.setRefreshAhead(refreshAhead);
    }
    if (effective.getSingleFlight() == null) {
      effective.setSingleFlight(settings.valueForCache(cacheName, SlotcacheSettings.SINGLE_FLIGHT));
    }
    Factory<ExpiryPolicy> declared = declaredExpiry(cacheName);
    if (declared != null && isDefaultExpiry(effective.getExpiryPolicyFactory())) {
      effective.setExpiryPolicyFactory(declared);
    }
    if (settings.valueForCache(cacheName, SlotcacheSettings.STATISTICS)) {
      effective.setStatisticsEnabled(true);
    }
    if (settings.valueForCache(cacheName, SlotcacheSettings.MANAGEMENT)) {
      effective.setManagementEnabled(true);
    }
    return effective;
  }

  /**
   * Whether the near cache of a cache was asked for that cache alone (its configuration or its own setting), rather
   * than for every cache of the manager: a cache that cannot have one then fails instead of going without.
   */
  boolean nearCacheChosen(String cacheName, Configuration<?, ?> given) {
    return given instanceof SlotcacheConfiguration<?, ?> own && own.getNearCacheMaxEntries() != null
        && own.getNearCacheMaxEntries() > 0
        || settings.ownOfCache(cacheName, SlotcacheSettings.NEAR_CACHE_MAX_ENTRIES) != null;
  }

  private static boolean isDefaultExpiry(Factory<ExpiryPolicy> factory) {
    return factory == null || factory.create() instanceof EternalExpiryPolicy;
  }

  /**
   * The declared expiry policy of a cache: its own {@code slotcache.cache.<name>.expire-after-*} setting, else the
   * manager-wide one (a cache's own replaces the manager-wide as a group); null when neither is set. The settings
   * allow at most one per level.
   */
  private Factory<ExpiryPolicy> declaredExpiry(String cacheName) {
    boolean own = SlotcacheSettings.EXPIRY_SETTINGS.stream().anyMatch(s -> settings.ownOfCache(cacheName, s) != null);
    for (SlotcacheSettings.Setting<java.time.Duration> setting : SlotcacheSettings.EXPIRY_SETTINGS) {
      java.time.Duration ttl = own ? settings.ownValueOfCache(cacheName, setting) : settings.value(setting);
      if (ttl != null) {
        Duration duration = new Duration(java.util.concurrent.TimeUnit.MILLISECONDS, ttl.toMillis());
        return setting == SlotcacheSettings.EXPIRE_AFTER_WRITE ? ModifiedExpiryPolicy.factoryOf(duration)
            : setting == SlotcacheSettings.EXPIRE_AFTER_CREATE ? CreatedExpiryPolicy.factoryOf(duration)
            : TouchedExpiryPolicy.factoryOf(duration);
      }
    }
    return null;
  }
}
