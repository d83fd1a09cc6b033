package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.codec.ClassPolicy;
import dev.slotcache.codec.Codec;
import dev.slotcache.codec.KryoCodec;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.configuration.SlotcacheSettings;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.internal.store.CacheRegistry;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.ClusterEvents;
import dev.slotcache.internal.store.Tracking;
import dev.slotcache.internal.store.RedisCluster;
import dev.slotcache.internal.store.RetryingStore;
import dev.slotcache.internal.store.SegmentStore;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
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
  /** Tells this manager's events apart from other JVMs' (and other managers' in one JVM). */
  private final String nodeId = java.util.UUID.randomUUID().toString();
  private final ClusterEvents clusterEvents;
  private final Tracking tracking;
  private final CacheFactory factory;
  private final CacheConfigurations configurations;
  private final RegistryKeeper registryKeeper;
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
    this.configurations = new CacheConfigurations(setup.settings, setup.namespace, classLoader);
    this.cluster = new RedisCluster(setup.endpoint);
    this.registry = new CacheRegistry(cluster, setup.namespace);
    this.registryKeeper = new RegistryKeeper(registry, setup.namespace);
    this.clusterEvents = new ClusterEvents(cluster, setup.namespace, nodeId, new ClusterEvents.Handler() {
      @Override
      public void message(String cacheName, byte[] message) {
        SlotcacheCache<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
          cache.eventFromElsewhere(message, codec);
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
    this.tracking = new Tracking(cluster, setup.namespace);
    this.factory = new CacheFactory(new ManagerAsOwner(this, clusterEvents, nodeId, tracking), codec, classLoader,
        maxValueBytes, setup.settings.value(SlotcacheSettings.INVOKE_MAX_RETRIES), setup.endpoint.maxRetryTime(),
        setup.settings.value(SlotcacheSettings.SINGLE_FLIGHT_LEASE),
        setup.settings.value(SlotcacheSettings.SINGLE_FLIGHT_WAIT));
  }

  /** Builds this manager's caches (tests build one over a store of their own with it). */
  CacheFactory factory() {
    return factory;
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

  /**
   * The settings this manager resolved from all its layers (defaults, system properties, URI options, a settings
   * file, the {@code Properties} given to {@code getCacheManager}); immutable. Integrations read per-cache settings
   * from here instead of resolving the layers again.
   */
  public SlotcacheSettings getSettings() {
    return setup.settings;
  }

  /**
   * The Redis key under which {@code key} of cache {@code cacheName} is stored, as {@code redis-cli} shows it: for
   * operators and tools that look at the cluster itself (its slot, its TTL).
   *
   * @throws IllegalArgumentException when no such cache is open here or recorded in the cluster
   */
  @SuppressWarnings("unchecked")
  public byte[] redisKeyOf(String cacheName, Object key) {
    requireNotClosed();
    SlotcacheCache<Object, Object> cache = (SlotcacheCache<Object, Object>) findCache(requireNonNull(cacheName,
        "cacheName"));
    if (cache == null) {
      throw new IllegalArgumentException("no cache '" + cacheName + "' in namespace " + setup.namespace);
    }
    return cache.redisKeyOf(key);
  }

  /**
   * A glob pattern ({@code SCAN MATCH}, {@code redis-cli --scan --pattern}) matching every key of this manager's
   * namespace: its entries, its cache registry and its listener leases.
   */
  public String keyPattern() {
    return SegmentedKeyLayout.escape(setup.namespace, false) + ":*";
  }

  /** A glob pattern matching every entry of cache {@code cacheName} (on every master). */
  public String keyPattern(String cacheName) {
    return SegmentedKeyLayout.escape(setup.namespace, false) + ":{"
        + SegmentedKeyLayout.escape(requireNonNull(cacheName, "cacheName"), true) + ":*";
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
      SlotcacheConfiguration<K, V> effective = configurations.effective(cacheName, configuration);
      CacheDescriptor wanted = CacheDescriptor.of(effective);
      byte[] existing = registry.register(cacheName, wanted.encode());
      if (existing != null) {
        // Another JVM created it: what it recorded applies here too, unless this call explicitly asks otherwise.
        CacheDescriptor recorded = CacheDescriptor.decode(cacheName, existing);
        java.util.List<String> contradictions = recorded.contradictions(wanted, configurations.choices(cacheName, configuration));
        if (!contradictions.isEmpty()) {
          throw new CacheException("cache '" + cacheName + "' already exists in the cluster (namespace '"
              + setup.namespace + "') with " + String.join("; ", contradictions) + ". Create it with the "
              + "recorded configuration (" + recorded + "), destroyCache it first, or use another cache name");
        }
        configurations.adopt(cacheName, recorded, effective);
      }
      SlotcacheCache<K, V> cache = open(cacheName, effective, configurations.nearCacheChosen(cacheName, configuration));
      registryKeeper.opened(cacheName, CacheDescriptor.of(effective));
      caches.put(cacheName, cache);
      return cache;
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
        SlotcacheConfiguration<Object, Object> effective = configurations.effective(cacheName, configuration);
        configurations.adopt(cacheName, descriptor, effective);
        cache = open(cacheName, effective, configurations.nearCacheChosen(cacheName, configuration));
        registryKeeper.opened(cacheName, CacheDescriptor.of(effective));
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

  private <K, V> SlotcacheCache<K, V> open(String cacheName, SlotcacheConfiguration<K, V> configuration,
      boolean nearCacheChosen) {
    SegmentedKeyLayout layout = new SegmentedKeyLayout(setup.namespace, cacheName, configuration.getSegments());
    CacheStore store = new RetryingStore(new SegmentStore(cluster, layout), setup.endpoint.maxRetryTime());
    clusterEvents.start();
    return factory.create(cacheName, configuration, store, nearCacheChosen);
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
      registryKeeper.closed(cacheName);
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
    openCache(cacheName).ifPresent(cache -> cache.setManagementEnabled(enabled));
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    openCache(cacheName).ifPresent(cache -> cache.setStatisticsEnabled(enabled));
  }

  /** A cache this manager has open (what enableManagement and enableStatistics act on). */
  private java.util.Optional<SlotcacheCache<?, ?>> openCache(String cacheName) {
    requireNotClosed();
    return java.util.Optional.ofNullable(caches.get(requireNonNull(cacheName, "cacheName")));
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
    }
    registryKeeper.close();
    tracking.close();
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
        registryKeeper.closed(cache.getName());
      }
    }
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
    return dev.slotcache.internal.Unwrapping.as(this, type, "a Slotcache CacheManager");
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
