package dev.slotcache;

import dev.slotcache.codec.Codec;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.event.EventDispatcher;
import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.integration.ReadThrough;
import dev.slotcache.internal.integration.WriteThrough;
import dev.slotcache.internal.management.CacheConfigurationBean;
import dev.slotcache.internal.management.CacheMBeans;
import dev.slotcache.internal.management.CacheStatistics;
import dev.slotcache.configuration.SlotcacheSettings;
import dev.slotcache.internal.near.InvalidatingStore;
import dev.slotcache.internal.near.NearTier;
import dev.slotcache.internal.store.CacheStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.function.Function;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * Builds a cache from its effective configuration: makes the user's expiry policy, writer and loader from their
 * factories, chooses once the read and write paths their kind needs, and hands everything to the cache's
 * constructor. Assembly only; the cache carries the behaviour.
 */
record CacheFactory(CacheOwner owner, Codec codec, ClassLoader classLoader, int maxValueBytes, int invokeRetries,
    Duration retryTime, Duration loadLease, Duration loadWait) {

  private static final Logger LOG = LoggerFactory.getLogger(SlotcacheCacheManager.class);
  private static final Duration DEFAULT_NEAR_MAX_TTL =
      SlotcacheSettings.NEAR_CACHE_MAX_TTL.parse(SlotcacheSettings.NEAR_CACHE_MAX_TTL.key(),
          SlotcacheSettings.NEAR_CACHE_MAX_TTL.defaultValue());

  /** A cache named {@code name} over {@code store}, configured by (a copy of) {@code given}. */
  <K, V> SlotcacheCache<K, V> create(String name, SlotcacheConfiguration<K, V> given, CacheStore store) {
    return create(name, given, store, false);
  }

  /**
   * The same; {@code nearCacheChosen}: the near cache was asked for this cache alone (a cache that cannot have one is
   * then a warning rather than a note).
   */
  <K, V> SlotcacheCache<K, V> create(String name, SlotcacheConfiguration<K, V> given, CacheStore remote,
      boolean nearCacheChosen) {
    SlotcacheConfiguration<K, V> configuration = new SlotcacheConfiguration<>(given);
    ExpiryPolicy expiryPolicy = configuration.getExpiryPolicyFactory().create();
    ExpiryDecisions expiry = new ExpiryDecisions(expiryPolicy, configuration.getTtlJitterPercent(),
        configuration.getMaxTtl());
    EntryValues<K, V> values = new EntryValues<>(name, codec, remote, configuration.getKeyType(),
        configuration.getValueType(), maxValueBytes, classLoader);
    CacheWriter<? super K, ? super V> cacheWriter = configuration.isWriteThrough()
        && configuration.getCacheWriterFactory() != null ? configuration.getCacheWriterFactory().create() : null;
    WriteThrough<K, V> writer = cacheWriter == null ? WriteThrough.disabled()
        : new WriteThrough<>(cacheWriter, SlotcacheEntry::new);
    CacheLoader<K, V> cacheLoader = configuration.getCacheLoaderFactory() == null ? null
        : configuration.getCacheLoaderFactory().create();
    ReadThrough<K, V> loader = cacheLoader == null ? null : new ReadThrough<>(cacheLoader);
    boolean readThrough = configuration.isReadThrough() && loader != null;
    Function<K, V> processorLoads = readThrough ? loader::load : key -> null;

    long refreshWindow = refreshWindow(name, configuration, expiry, readThrough);
    NearTier<K, V> near = nearTier(name, configuration, expiryPolicy, expiry, remote, values, nearCacheChosen,
        refreshWindow);
    CacheStore store = near == null ? remote : new InvalidatingStore(remote, near);
    EventDispatcher<K, V> events = new EventDispatcher<>(name, SlotcacheCache.remoteSink(owner, name, codec));
    boolean loadsOnce = !Boolean.FALSE.equals(configuration.getSingleFlight());
    SingleFlight<V> flights = new SingleFlight<>(name, store, owner.nodeId(), loadLease, loadWait, loadsOnce);
    RefreshAhead<K, V> refresher = refreshWindow == 0 ? null
        : new RefreshAhead<>(name, store, values, expiry, events, loader, flights, refreshWindow);
    ReadPath reads = near != null ? new NearReadPath(expiry, store, near, refresher)
        : refresher != null ? new ReadPath.Refreshing(expiry, store, refresher) : ReadPath.of(expiry, store);
    CacheStatistics statistics = new CacheStatistics();
    CacheConfigurationBean configurationBean = new CacheConfigurationBean(() -> {
      synchronized (configuration) {
        return new SlotcacheConfiguration<>(configuration);
      }
    });
    CacheMBeans mbeans = new CacheMBeans(owner.uri(), name, statistics, configurationBean);
    KeyQueues queues = new KeyQueues(loadWait);
    // With a writer every write of a key runs in its exclusive section: the writer sees each applied change once.
    WriteSections sections = cacheWriter == null ? WriteSections.none() : WriteSections.exclusive(queues, flights);
    Invocations<K, V> invocations = new Invocations<>(store, values, expiry, events, statistics, writer,
        processorLoads, invokeRetries, retryTime, cacheWriter == null && loader == null, flights,
        cacheWriter == null ? WriteSections.local(queues) : sections, cacheWriter == null && loadsOnce);
    CacheParts<K, V> parts = new CacheParts<>(name, owner, configuration, store, values, expiryPolicy, expiry,
        reads, TtlWrites.of(expiry, store),
        ConditionalWrites.of(new ConditionalWrites.Parts<>(store, expiry, values, writer, invokeRetries),
            cacheWriter != null), writer,
        cacheWriter != null, loader, events, statistics, mbeans, invocations, flights, sections);
    return readThrough ? new LoadingSlotcacheCache<>(parts) : new SlotcacheCache<>(parts);
  }

  /**
   * The TTL left at which a read refreshes an entry early (refresh-ahead), or 0 for none: when none is configured,
   * or it cannot work for the cache (no loader to reload with, no TTL to measure, or a policy that renews TTLs on
   * reads), which is logged.
   */
  private static long refreshWindow(String name, SlotcacheConfiguration<?, ?> configuration, ExpiryDecisions expiry,
      boolean readThrough) {
    Double fraction = configuration.getRefreshAhead();
    if (fraction == null) {
      return 0;
    }
    long ttl = expiry.nominalCreation();
    String unable = !readThrough ? "it is not read-through (a refresh reloads with its CacheLoader)"
        : expiry.accessMayChangeTtl() ? "its expiry policy may renew a TTL on reads; use a creation or modification "
            + "expiry policy"
        : ttl <= 0 ? "its entries get no TTL to refresh before" : null;
    if (unable != null) {
      LOG.info("cache '{}': refresh-ahead {} has no effect: {}", name, fraction, unable);
      return 0;
    }
    long window = Math.max(1, Math.round((1 - fraction) * ttl));
    LOG.info("cache '{}': entries read with less than {} ms of their {} ms TTL left are reloaded early", name, window,
        ttl);
    return window;
  }

  /**
   * The near cache of a cache, or null: when none is configured, or when its expiry policy may change a TTL on a read
   * (a hit in memory would skip that), which is logged.
   */
  private <K, V> NearTier<K, V> nearTier(String name, SlotcacheConfiguration<K, V> configuration,
      ExpiryPolicy expiryPolicy, ExpiryDecisions expiry, CacheStore store, EntryValues<K, V> values, boolean chosen,
      long refreshWindow) {
    Integer maxEntries = configuration.getNearCacheMaxEntries();
    if (maxEntries == null || maxEntries == 0) {
      return null;
    }
    if (expiry.accessMayChangeTtl()) {
      String message = "cache '{}': no near cache, although near-cache.max-entries is {}: its expiry policy ({}) may "
          + "change the TTL when an entry is read, which a read from memory would skip; use a creation or "
          + "modification expiry policy for a near-cached cache";
      if (chosen) {
        LOG.warn(message, name, maxEntries, expiryPolicy.getClass().getName());
      } else {
        LOG.info(message, name, maxEntries, expiryPolicy.getClass().getName());
      }
      return null;
    }
    Duration maxTtl = configuration.getNearCacheMaxTtl() == null ? DEFAULT_NEAR_MAX_TTL
        : configuration.getNearCacheMaxTtl();
    LOG.info("cache '{}': near cache of up to {} entries in this JVM, each kept at most {} (and never past its TTL)",
        name, maxEntries, maxTtl);
    return new NearTier<>(owner.uri(), store.layout(), owner.tracking(), maxEntries, maxTtl,
        values::decodeKey, values::decodeQuietly, refreshWindow);
  }
}
