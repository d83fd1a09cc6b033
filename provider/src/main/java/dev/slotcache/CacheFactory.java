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
import dev.slotcache.internal.store.CacheStore;
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
    Duration retryTime) {

  /** A cache named {@code name} over {@code store}, configured by (a copy of) {@code given}. */
  <K, V> SlotcacheCache<K, V> create(String name, SlotcacheConfiguration<K, V> given, CacheStore store) {
    SlotcacheConfiguration<K, V> configuration = new SlotcacheConfiguration<>(given);
    ExpiryPolicy expiryPolicy = configuration.getExpiryPolicyFactory().create();
    ExpiryDecisions expiry = new ExpiryDecisions(expiryPolicy, configuration.getTtlJitterPercent(),
        configuration.getMaxTtl());
    EntryValues<K, V> values = new EntryValues<>(name, codec, store, configuration.getKeyType(),
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

    EventDispatcher<K, V> events = new EventDispatcher<>(name, SlotcacheCache.remoteSink(owner, name, codec));
    CacheStatistics statistics = new CacheStatistics();
    CacheConfigurationBean configurationBean = new CacheConfigurationBean(() -> {
      synchronized (configuration) {
        return new SlotcacheConfiguration<>(configuration);
      }
    });
    CacheMBeans mbeans = new CacheMBeans(owner.uri(), name, statistics, configurationBean);
    Invocations<K, V> invocations = new Invocations<>(store, values, expiry, events, statistics, writer,
        processorLoads, invokeRetries, retryTime, cacheWriter == null && loader == null);
    CacheParts<K, V> parts = new CacheParts<>(name, owner, configuration, store, values, expiryPolicy, expiry,
        ReadPath.of(expiry, store), TtlWrites.of(expiry, store),
        ConditionalWrites.of(new ConditionalWrites.Parts<>(store, expiry, values, writer, invokeRetries),
            cacheWriter != null), writer,
        cacheWriter != null, loader, events, statistics, mbeans, invocations);
    return readThrough ? new LoadingSlotcacheCache<>(parts) : new SlotcacheCache<>(parts);
  }
}
