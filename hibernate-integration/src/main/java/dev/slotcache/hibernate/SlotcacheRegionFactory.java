package dev.slotcache.hibernate;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.configuration.SlotcacheSettings;
import dev.slotcache.spi.SlotcacheCachingProvider;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.Factory;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.spi.CachingProvider;
import org.hibernate.boot.spi.SessionFactoryOptions;
import org.hibernate.cache.CacheException;
import org.hibernate.cache.cfg.spi.DomainDataRegionBuildingContext;
import org.hibernate.cache.cfg.spi.DomainDataRegionConfig;
import org.hibernate.cache.spi.DomainDataRegion;
import org.hibernate.cache.spi.support.RegionFactoryTemplate;
import org.hibernate.cache.spi.support.StorageAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;

/**
 * Hibernate ORM second-level cache on Slotcache, for application servers that share one Redis Cluster
 * ({@code hibernate.cache.region.factory_class=slotcache}).
 *
 * <ul>
 *   <li>Every region is a Slotcache cache, spread over all masters.</li>
 *   <li>READ_WRITE soft locks are taken, released and replaced atomically in Redis ({@link ClusterReadWriteAccess}),
 *       so two servers cannot overwrite each other's locks.</li>
 *   <li>{@link #nextTimestamp()} is local (Hibernate's clock-based timestamper): no network call per
 *       transaction. Servers need clocks kept in step (NTP); the soft-lock timeout (60 s) bounds the harm of skew.</li>
 *   <li>Regions get defaults per kind — entity, collection and natural-id data expire 1 h after their last write,
 *       query results after 10 min, update timestamps never — and per-region settings come from
 *       {@code slotcache.cache.<region>.*} keys in Hibernate's own configuration (see
 *       {@link SlotcacheHibernateSettings}).</li>
 *   <li>A Redis outage degrades to cache misses (configurable with {@link SlotcacheHibernateSettings#FAIL_OPEN}).</li>
 * </ul>
 */
public class SlotcacheRegionFactory extends RegionFactoryTemplate {

  /** The name Hibernate knows this factory by: {@code hibernate.cache.region.factory_class=slotcache}. */
  public static final String SHORT_NAME = "slotcache";

  private final List<RegionStorage> queryRegions = new CopyOnWriteArrayList<>();
  private volatile CacheManager cacheManager;
  private volatile OutagePolicy outages;
  /** What the CacheManager resolved: says which regions have settings of their own. */
  private volatile SlotcacheSettings managerSettings;
  private volatile Map<RegionKind, Duration> kindExpiry;
  private volatile Map<RegionKind, Integer> kindSegments;
  private volatile Map<RegionKind, Integer> kindNearEntries;
  /** Set after a region could not be opened at start-up, so the others do not each wait for Redis. */
  private volatile boolean openLazily;

  /** The CacheManager holding this factory's regions (null before start and after stop). */
  public CacheManager getCacheManager() {
    return cacheManager;
  }

  @Override
  protected void prepareForUse(SessionFactoryOptions options, Map<String, Object> configValues) {
    Properties slotcache = slotcacheProperties(configValues);
    String failOpen = stringValue(configValues, SlotcacheHibernateSettings.FAIL_OPEN, "true");
    this.outages = new OutagePolicy(SlotcacheSettings.parseBoolean(SlotcacheHibernateSettings.FAIL_OPEN, failOpen));
    Map<RegionKind, Duration> expiry = new EnumMap<>(RegionKind.class);
    Map<RegionKind, Integer> segments = new EnumMap<>(RegionKind.class);
    Map<RegionKind, Integer> nearEntries = new EnumMap<>(RegionKind.class);
    for (RegionKind kind : RegionKind.values()) {
      String prefix = SlotcacheHibernateSettings.PREFIX + kind.key() + ".";
      String ttl = stringValue(configValues, prefix + SlotcacheHibernateSettings.EXPIRE_AFTER_WRITE, null);
      if (ttl != null && !kind.mayExpire()) {
        throw new CacheException(prefix + SlotcacheHibernateSettings.EXPIRE_AFTER_WRITE + " cannot be set: the "
            + "update-timestamps region must never expire, or stale query results would look current");
      }
      Duration parsed = ttl == null ? kind.defaultExpireAfterWrite() : parseTtl(prefix + "expire-after-write", ttl);
      if (parsed != null) {
        expiry.put(kind, parsed);
      }
      String count = stringValue(configValues, prefix + SlotcacheHibernateSettings.SEGMENTS, null);
      Integer parsedCount = count == null ? kind.defaultSegments()
          : Integer.valueOf(SlotcacheSettings.parseInt(prefix + SlotcacheHibernateSettings.SEGMENTS, count, 1, 16384));
      if (parsedCount != null) {
        segments.put(kind, parsedCount);
      }
      String near = stringValue(configValues, prefix + SlotcacheHibernateSettings.NEAR_CACHE_MAX_ENTRIES, null);
      if (near != null && kind == RegionKind.UPDATE_TIMESTAMPS) {
        throw new CacheException(prefix + SlotcacheHibernateSettings.NEAR_CACHE_MAX_ENTRIES + " cannot be set: a "
            + "near cache of the update-timestamps region would let stale query results look current");
      }
      if (near != null) {
        nearEntries.put(kind, SlotcacheSettings.parseInt(prefix + SlotcacheHibernateSettings.NEAR_CACHE_MAX_ENTRIES,
            near, 0, Integer.MAX_VALUE));
      }
    }
    this.kindExpiry = expiry;
    this.kindSegments = segments;
    this.kindNearEntries = nearEntries;
    ClassLoader classLoader = SlotcacheRegionFactory.class.getClassLoader();
    CachingProvider provider = Caching.getCachingProvider(SlotcacheCachingProvider.class.getName(), classLoader);
    String uriText = stringValue(configValues, SlotcacheHibernateSettings.URI, null);
    URI uri;
    try {
      uri = uriText == null ? provider.getDefaultURI() : URI.create(uriText.trim());
    } catch (IllegalArgumentException e) {
      throw new CacheException(SlotcacheHibernateSettings.URI + " is not a URI: " + e.getMessage(), e);
    }
    CacheManager manager;
    try {
      manager = ManagerLeases.acquire(provider, uri, classLoader, slotcache);
    } catch (javax.cache.CacheException e) {
      throw new CacheException("cannot set up the Slotcache CacheManager for " + SlotcacheHibernateSettings.URI + "="
          + uri + ": " + e.getMessage(), e);
    }
    this.managerSettings = ManagerSettings.of(manager);
    this.cacheManager = manager;
  }

  @Override
  protected void releaseFromUse() {
    CacheManager manager = cacheManager;
    cacheManager = null;
    queryRegions.clear();
    if (manager != null) {
      ManagerLeases.release(manager);
    }
  }

  @Override
  protected boolean isStarted() {
    return super.isStarted() && cacheManager != null;
  }

  @Override
  public DomainDataRegion buildDomainDataRegion(DomainDataRegionConfig config, DomainDataRegionBuildingContext context) {
    verifyStarted();
    RegionKind kind = !config.getEntityCaching().isEmpty() ? RegionKind.ENTITY
        : !config.getCollectionCaching().isEmpty() ? RegionKind.COLLECTION : RegionKind.NATURAL_ID;
    RegionStorage storage = storage(qualify(config.getRegionName()), kind);
    return new SlotcacheDomainDataRegion(config, this, storage, getImplicitCacheKeysFactory(), context);
  }

  @Override
  protected StorageAccess createQueryResultsRegionStorageAccess(String regionName, SessionFactoryImplementor factory) {
    RegionStorage storage = storage(qualify(regionName), RegionKind.QUERY_RESULTS);
    queryRegions.add(storage);
    return storage;
  }

  @Override
  protected StorageAccess createTimestampsRegionStorageAccess(String regionName, SessionFactoryImplementor factory) {
    RegionStorage storage = storage(qualify(regionName), RegionKind.UPDATE_TIMESTAMPS);
    // A lost timestamp update could make stale query results look current: the query regions are cleared too.
    storage.onLostInvalidation(() -> queryRegions.forEach(RegionStorage::lostInvalidation));
    return storage;
  }

  private RegionStorage storage(String name, RegionKind kind) {
    RegionStorage storage = new RegionStorage(name, regionName -> open(regionName, kind), outages);
    if (!openLazily) {
      try {
        storage.cache();
      } catch (javax.cache.CacheException e) {
        openLazily = true;
        outages.failed(name, "opening the cache", e);
      }
    }
    return storage;
  }

  /** Gets or creates the region's cache (another server, or another SessionFactory, may have created it). */
  private Cache<Object, Object> open(String name, RegionKind kind) {
    CacheManager manager = cacheManager;
    if (manager == null) {
      throw new IllegalStateException("the Slotcache region factory is stopped");
    }
    Cache<Object, Object> cache = manager.getCache(name);
    if (cache == null) {
      try {
        cache = manager.createCache(name, configuration(name, kind));
      } catch (javax.cache.CacheException e) {
        cache = manager.getCache(name);
        if (cache == null) {
          throw e;
        }
      }
    }
    if (kind == RegionKind.UPDATE_TIMESTAMPS) {
      requireEternal(name, cache);
    }
    return cache;
  }

  private SlotcacheConfiguration<Object, Object> configuration(String name, RegionKind kind) {
    SlotcacheConfiguration<Object, Object> configuration = new SlotcacheConfiguration<>();
    configuration.setTypes(Object.class, Object.class);
    boolean ownExpiry = SlotcacheSettings.EXPIRY_SETTINGS.stream().anyMatch(s -> ownSetting(name, s) != null);
    if (kind == RegionKind.UPDATE_TIMESTAMPS && (ownExpiry || ownSetting(name, SlotcacheSettings.MAX_TTL) != null)) {
      throw new CacheException("region '" + name + "' holds Hibernate's update timestamps and must never expire "
          + "(a lost timestamp makes stale query results look current): remove its slotcache.cache." + name
          + ".expire-after-*/max-ttl settings");
    }
    if (kind == RegionKind.UPDATE_TIMESTAMPS && ownSetting(name, SlotcacheSettings.NEAR_CACHE_MAX_ENTRIES) != null) {
      throw new CacheException("region '" + name + "' holds Hibernate's update timestamps, which must always be read "
          + "from Redis (a timestamp read from memory just after another server changed it would let stale query "
          + "results look current): remove its slotcache.cache." + name + ".near-cache.max-entries setting");
    }
    if (kind == RegionKind.UPDATE_TIMESTAMPS) {
      configuration.setNearCacheMaxEntries(0); // also against a manager-wide slotcache.near-cache.max-entries
    } else if (ownSetting(name, SlotcacheSettings.NEAR_CACHE_MAX_ENTRIES) == null && kindNearEntries.get(kind) != null) {
      configuration.setNearCacheMaxEntries(kindNearEntries.get(kind));
    }
    Duration ttl = kindExpiry.get(kind);
    if (!ownExpiry && ttl != null) {
      configuration.setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(
          new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttl.toMillis())));
    }
    Integer segments = kindSegments.get(kind);
    if (ownSetting(name, SlotcacheSettings.SEGMENTS) == null && segments != null) {
      configuration.setSegments(segments);
    }
    return configuration;
  }

  private void requireEternal(String name, Cache<Object, Object> cache) {
    SlotcacheConfiguration<Object, Object> effective = SlotcacheConfiguration.of(cache);
    Factory<ExpiryPolicy> expiry = effective.getExpiryPolicyFactory();
    if (effective.getMaxTtl() != null || (expiry != null && !(expiry.create() instanceof EternalExpiryPolicy))) {
      throw new CacheException("region '" + name + "' holds Hibernate's update timestamps and must never expire, "
          + "but its cache has " + (effective.getMaxTtl() != null ? "max-ttl " + effective.getMaxTtl()
          : "an expiry policy") + " (from slotcache.max-ttl or a per-cache setting); set max-ttl per region instead");
    }
  }

  /** A per-cache setting the user declared for this region ({@code slotcache.cache.<region>.<setting>}), or null. */
  private String ownSetting(String cacheName, SlotcacheSettings.Setting<?> setting) {
    return managerSettings.ownOfCache(cacheName, setting);
  }

  /**
   * Every {@code slotcache.*} key of Hibernate's configuration, for the CacheManager. Keys whose value is the
   * system property of the same name are left to the provider, which reads system properties itself.
   */
  private static Properties slotcacheProperties(Map<String, Object> configValues) {
    Properties properties = new Properties();
    for (Map.Entry<String, Object> entry : configValues.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(SlotcacheSettings.PREFIX) && entry.getValue() != null) {
        String value = entry.getValue().toString();
        if (!value.equals(System.getProperty(key))) {
          properties.setProperty(key, value);
        }
      }
    }
    return properties;
  }

  private static String stringValue(Map<String, Object> configValues, String key, String defaultValue) {
    Object value = configValues.get(key);
    return value == null || value.toString().isBlank() ? defaultValue : value.toString().trim();
  }

  private static Duration parseTtl(String key, String value) {
    if (value.equalsIgnoreCase("eternal")) {
      return null;
    }
    Duration ttl = SlotcacheSettings.parseDuration(key, value);
    return ttl.isZero() ? null : ttl;
  }
}
