package dev.slotcache;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.event.EventDispatcher;
import dev.slotcache.expiry.ExpiryDecisions;
import dev.slotcache.integration.ReadThrough;
import dev.slotcache.integration.WriteThrough;
import dev.slotcache.management.CacheMBeans;
import dev.slotcache.management.CacheStatistics;
import dev.slotcache.store.CacheStore;
import javax.cache.expiry.ExpiryPolicy;

/**
 * The collaborators of one cache, made by {@link CacheFactory}: each behaviour that depends on the configuration
 * (expiry policy, writer, read-through) is already chosen here, so the cache's operations never ask.
 *
 * @param loader      the configured loader (for {@code loadAll} and read-through), or null
 * @param writesThrough whether a writer is configured (bulk removals then go key by key)
 */
record CacheParts<K, V>(String name, CacheOwner owner, SlotcacheConfiguration<K, V> configuration, CacheStore store,
    EntryValues<K, V> values, ExpiryPolicy expiryPolicy, ExpiryDecisions expiry, ReadPath reads, TtlWrites writes,
    ConditionalWrites<K, V> conditionals, WriteThrough<K, V> writer, boolean writesThrough, ReadThrough<K, V> loader,
    EventDispatcher<K, V> events, CacheStatistics statistics, CacheMBeans mbeans, Invocations<K, V> invocations) {
}
