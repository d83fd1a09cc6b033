package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.codec.ClassPolicy;
import dev.slotcache.codec.Codec;
import dev.slotcache.codec.KryoCodec;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.configuration.SlotcacheSettings;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.store.CacheRegistry;
import dev.slotcache.store.CacheStore;
import dev.slotcache.store.ClusterEvents;
import dev.slotcache.store.RedisCluster;
import dev.slotcache.store.RetryingStore;
import dev.slotcache.store.SegmentStore;
import dev.slotcache.store.SegmentedKeyLayout;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.cache.spi.CachingProvider;

/**
 * A CacheManager over one Redis Cluster namespace. Caches are recorded in the cluster when created, so
 * another JVM's {@code getCache(name)} opens the same cache with the same layout. {@link #getCacheNames()}
 * lists the caches this manager has created or opened. Thread-safe.
 */
public final class SlotcacheCacheManager implements CacheManager {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SlotcacheCacheManager.class);

  private final SlotcacheCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final ManagerSetup setup;
  private final RedisCluster cluster;
  private final CacheRegistry registry;
  private final Codec codec;
  private final int maxValueBytes;
  private final ConcurrentMap<String, SlotcacheCache<?, ?>> caches = new ConcurrentHashMap<>();
  /** What is recorded in the cluster for each open cache, to restore the registry when Redis lost it. */
  private final ConcurrentMap<String, CacheDescriptor> descriptors = new ConcurrentHashMap<>();
  /** Tells this manager's events apart from other JVMs' (and other managers' in one JVM). */
  private final String nodeId = java.util.UUID.randomUUID().toString();
  private final ClusterEvents clusterEvents;
  private volatile ScheduledExecutorService housekeeping;
  private volatile boolean closed;

  public SlotcacheCacheManager(SlotcacheCachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties) {
    this.provider = requireNonNull(provider, "provider");
    this.uri = requireNonNull(uri, "uri");
    this.classLoader = requireNonNull(classLoader, "classLoader");
    this.properties = new Properties();
    this.properties.putAll(requireNonNull(properties, "properties"));
    this.setup = ManagerSetup.resolve(uri, classLoader, this.properties);
    this.maxValueBytes = (int) Math.min(Integer.MAX_VALUE - 16, setup.settings.size(SlotcacheSettings.MAX_VALUE_BYTES));
    ClassPolicy policy;
    try {
      policy = ClassPolicy.parse(setup.settings.get(SlotcacheSettings.ALLOWED_CLASSES));
    } catch (IllegalArgumentException e) {
      throw new CacheException(SlotcacheSettings.ALLOWED_CLASSES.key() + ": " + e.getMessage(), e);
    }
    this.codec = new KryoCodec(classLoader, policy, maxValueBytes + 16);
    this.cluster = new RedisCluster(setup.endpoint);
    this.registry = new CacheRegistry(cluster, setup.namespace);
    this.clusterEvents = new ClusterEvents(cluster, setup.namespace, nodeId, new ClusterEvents.Handler() {
      @Override
      public void message(String cacheName, byte[] message) {
        SlotcacheCache<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
          cache.eventFromElsewhere(message);
        }
      }

      @Override
      public void expired(byte[] redisKey) {
        String cacheName = SegmentedKeyLayout.cacheNameOf(setup.namespace, redisKey);
        SlotcacheCache<?, ?> cache = cacheName == null ? null : caches.get(cacheName);
        if (cache != null) {
          cache.expiredInRedis(redisKey);
        }
      }
    });
  }

  ClusterEvents clusterEvents() {
    return clusterEvents;
  }

  String nodeId() {
    return nodeId;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  /**
   * How many times one of this manager's event subscriptions (other JVMs' events, or Redis' expiry notifications of
   * one master) was lost and had to be re-established: events published meanwhile may not have reached this JVM's
   * listeners. Pub/sub is at most once; a listener that must not miss a change re-reads after a gap.
   */
  public long eventGaps() {
    return clusterEvents.gaps();
  }

  /**
   * How many events this manager's operations could not publish to listeners in other JVMs (the write itself
   * succeeded and this JVM's listeners heard it); each is also logged, at most one warning per 10 s.
   */
  public long eventPublishFailures() {
    return clusterEvents.publishFailures();
  }

  /**
   * The caches recorded in this manager's namespace in the cluster, by any JVM (unlike {@link #getCacheNames()},
   * which lists the caches this manager has open), sorted by name.
   */
  public java.util.List<String> getRecordedCacheNames() {
    requireNotClosed();
    return registry.names();
  }

  /** The namespace this manager's caches live under. */
  public String getNamespace() {
    return setup.namespace;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
    requireNotClosed();
    requireNonNull(cacheName, "cacheName");
    requireNonNull(configuration, "configuration");
    if (!configuration.isStoreByValue()) {
      throw new UnsupportedOperationException("cache '" + cacheName + "': store-by-reference is not supported; "
          + "entries live in Redis and are always stored by value");
    }
    synchronized (caches) {
      if (caches.containsKey(cacheName)) {
        throw new CacheException("cache '" + cacheName + "' already exists in " + shownUri());
      }
      SlotcacheConfiguration<K, V> effective = effectiveConfiguration(cacheName, configuration);
      CacheDescriptor wanted = CacheDescriptor.of(effective);
      byte[] existing = registry.register(cacheName, wanted.encode());
      if (existing != null) {
        // Another JVM created it: what it recorded applies here too, unless this call explicitly asks otherwise.
        CacheDescriptor recorded = CacheDescriptor.decode(cacheName, existing);
        java.util.List<String> contradictions = recorded.contradictions(wanted, choices(cacheName, configuration));
        if (!contradictions.isEmpty()) {
          throw new CacheException("cache '" + cacheName + "' already exists in the cluster (namespace '"
              + setup.namespace + "') with " + String.join("; ", contradictions) + ". Create it with the "
              + "recorded configuration (" + recorded + "), destroyCache it first, or use another cache name");
        }
        adopt(cacheName, recorded, effective);
      }
      SlotcacheCache<K, V> cache = open(cacheName, effective);
      descriptors.put(cacheName, CacheDescriptor.of(effective));
      caches.put(cacheName, cache);
      return cache;
    }
  }

  /** Which parts of a createCache configuration its caller chose, rather than left to defaults. */
  private CacheDescriptor.Choices choices(String cacheName, Configuration<?, ?> given) {
    SlotcacheSettings settings = setup.settings;
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
  private void adopt(String cacheName, CacheDescriptor recorded, SlotcacheConfiguration<?, ?> effective) {
    java.util.List<String> changed = recorded.applyTo(effective, classLoader, cacheName);
    if (!changed.isEmpty()) {
      LOG.info("cache {} in namespace {}: using the configuration its creator recorded in the cluster ({}) over "
          + "this JVM's defaults ({})", cacheName, setup.namespace, recorded, String.join(", ", changed));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireNotClosed();
    requireNonNull(keyType, "keyType");
    requireNonNull(valueType, "valueType");
    SlotcacheCache<?, ?> cache = findCache(requireNonNull(cacheName, "cacheName"));
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> configuration = cache.configuration();
    if (configuration.getKeyType() != keyType || configuration.getValueType() != valueType) {
      throw new ClassCastException("cache '" + cacheName + "' has key type " + configuration.getKeyType().getName()
          + " and value type " + configuration.getValueType().getName() + ", not " + keyType.getName() + " and "
          + valueType.getName());
    }
    return (Cache<K, V>) cache;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireNotClosed();
    return (Cache<K, V>) findCache(requireNonNull(cacheName, "cacheName"));
  }

  private SlotcacheCache<?, ?> findCache(String cacheName) {
    SlotcacheCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      return cache;
    }
    byte[] recorded = registry.lookup(cacheName);
    if (recorded == null) {
      return null;
    }
    CacheDescriptor descriptor = CacheDescriptor.decode(cacheName, recorded);
    synchronized (caches) {
      cache = caches.get(cacheName);
      if (cache == null) {
        MutableConfiguration<Object, Object> configuration = new MutableConfiguration<>()
            .setTypes(loadClass(cacheName, descriptor.keyType()), loadClass(cacheName, descriptor.valueType()));
        SlotcacheConfiguration<Object, Object> effective = effectiveConfiguration(cacheName, configuration);
        adopt(cacheName, descriptor, effective);
        cache = open(cacheName, effective);
        descriptors.put(cacheName, CacheDescriptor.of(effective));
        caches.put(cacheName, cache);
      }
      return cache;
    }
  }

  @SuppressWarnings("unchecked")
  private Class<Object> loadClass(String cacheName, String name) {
    try {
      return (Class<Object>) Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException e) {
      throw new CacheException("cache '" + cacheName + "' is recorded with type " + name
          + ", which is not on this class path", e);
    }
  }

  private <K, V> SlotcacheCache<K, V> open(String cacheName, SlotcacheConfiguration<K, V> configuration) {
    SegmentedKeyLayout layout = new SegmentedKeyLayout(setup.namespace, cacheName, configuration.getSegments());
    CacheStore store = new RetryingStore(new SegmentStore(cluster, layout), setup.endpoint.maxRetryTime());
    int retries = setup.settings.value(SlotcacheSettings.INVOKE_MAX_RETRIES);
    clusterEvents.start();
    startHousekeeping();
    return new SlotcacheCache<>(cacheName, this, configuration, store, codec, maxValueBytes, retries,
        setup.endpoint.maxRetryTime());
  }

  /**
   * The configuration a new cache really gets: a copy of the caller's, with per-cache declarative settings and
   * manager defaults filled in where the caller left them open. Declared statistics and management only switch
   * on: a declared {@code false} leaves what the caller's configuration switched on.
   */
  private <K, V> SlotcacheConfiguration<K, V> effectiveConfiguration(String cacheName, Configuration<K, V> given) {
    SlotcacheConfiguration<K, V> effective;
    if (given instanceof CompleteConfiguration<K, V> complete) {
      effective = new SlotcacheConfiguration<>(complete);
    } else {
      effective = new SlotcacheConfiguration<>();
      effective.setTypes(given.getKeyType(), given.getValueType());
      effective.setStoreByValue(given.isStoreByValue());
    }
    SlotcacheSettings settings = setup.settings;
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

  private static boolean isDefaultExpiry(Factory<ExpiryPolicy> factory) {
    return factory == null || factory.create() instanceof EternalExpiryPolicy;
  }

  /**
   * The declared expiry policy of a cache: its own {@code slotcache.cache.<name>.expire-after-*} setting, else the
   * manager-wide one (a cache's own replaces the manager-wide as a group); null when neither is set. The settings
   * allow at most one per level.
   */
  private Factory<ExpiryPolicy> declaredExpiry(String cacheName) {
    SlotcacheSettings settings = setup.settings;
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

  @Override
  public Iterable<String> getCacheNames() {
    requireNotClosed();
    return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    requireNotClosed();
    requireNonNull(cacheName, "cacheName");
    SlotcacheCache<?, ?> cache;
    synchronized (caches) {
      cache = findCache(cacheName);
      if (cache == null) {
        return;
      }
      caches.remove(cacheName);
      descriptors.remove(cacheName);
    }
    try {
      cache.destroyData();
      registry.unregister(cacheName);
    } finally {
      cache.closeInternal();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireNotClosed();
    requireNonNull(cacheName, "cacheName");
    SlotcacheCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireNotClosed();
    requireNonNull(cacheName, "cacheName");
    SlotcacheCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    CacheException failure = null;
    synchronized (caches) {
      if (closed) {
        return;
      }
      closed = true;
      for (SlotcacheCache<?, ?> cache : new ArrayList<>(caches.values())) {
        try {
          cache.closeInternal();
        } catch (RuntimeException e) {
          failure = suppress(failure, e);
        }
      }
      caches.clear();
      descriptors.clear();
    }
    ScheduledExecutorService keeper = housekeeping;
    if (keeper != null) {
      keeper.shutdownNow();
    }
    try {
      clusterEvents.close();
    } catch (RuntimeException e) {
      failure = suppress(failure, e);
    }
    try {
      cluster.close();
    } catch (RuntimeException e) {
      failure = suppress(failure, e);
    }
    provider.release(this);
    if (failure != null) {
      throw failure;
    }
  }

  private CacheException suppress(CacheException failure, RuntimeException e) {
    CacheException result = failure != null ? failure : new CacheException("closing cache manager " + shownUri() + " failed");
    result.addSuppressed(e);
    return result;
  }

  /** A cache closed by its user: forget it, so getCache opens a fresh one. */
  void released(SlotcacheCache<?, ?> cache) {
    synchronized (caches) {
      if (caches.remove(cache.getName(), cache)) {
        descriptors.remove(cache.getName());
      }
    }
  }

  /**
   * Every {@value #REGISTRY_CHECK_SECONDS} s while caches are open: when the cluster lost the cache registry (a
   * restart without persistence, {@code FLUSHALL}, eviction), records this JVM's open caches again, so that JVMs
   * started later still find them. A cache another JVM destroyed is not brought back: the registry is then intact.
   */
  private void checkRegistry() {
    if (closed || descriptors.isEmpty()) {
      return;
    }
    try {
      if (registry.intact()) {
        return;
      }
      java.util.Map<String, byte[]> open = new java.util.LinkedHashMap<>();
      descriptors.forEach((name, descriptor) -> open.put(name, descriptor.encode()));
      int restored = registry.restore(open);
      LOG.warn("the cache registry of namespace {} was gone from the cluster (a restart without persistence, "
          + "FLUSHALL or eviction); recorded this JVM's {} open cache(s) again: {}", setup.namespace, restored,
          open.keySet());
    } catch (RuntimeException e) {
      LOG.debug("checking the cache registry of namespace {} failed; trying again in {} s", setup.namespace,
          REGISTRY_CHECK_SECONDS, e);
    }
  }

  private static final int REGISTRY_CHECK_SECONDS = 2;

  private void startHousekeeping() {
    if (housekeeping != null) {
      return;
    }
    ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "slotcache-registry-" + setup.namespace);
      thread.setDaemon(true);
      return thread;
    });
    keeper.scheduleWithFixedDelay(this::checkRegistry, REGISTRY_CHECK_SECONDS, REGISTRY_CHECK_SECONDS,
        TimeUnit.SECONDS);
    housekeeping = keeper;
  }

  /** The URI for messages and logs: passwords masked. */
  String shownUri() {
    return ManagerSetup.mask(uri.toString());
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    requireNonNull(type, "type");
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("a Slotcache CacheManager cannot be unwrapped to " + type.getName());
  }

  private void requireNotClosed() {
    if (closed) {
      throw new IllegalStateException("cache manager " + shownUri() + " is closed");
    }
  }

  @Override
  public String toString() {
    return "SlotcacheCacheManager[" + shownUri() + ", " + setup + "]";
  }
}
