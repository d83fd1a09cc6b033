package dev.slotcache;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.event.EventDispatcher;
import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.integration.ReadThrough;
import dev.slotcache.internal.integration.WriteThrough;
import dev.slotcache.internal.management.CacheMBeans;
import dev.slotcache.internal.management.CacheStatistics;
import dev.slotcache.internal.store.CacheStore;
import javax.cache.expiry.ExpiryPolicy;

/**
 * The collaborators of one cache, made by {@link CacheFactory}: each behaviour that depends on the configuration
 * (expiry policy, writer, read-through) is already chosen here, so the cache's operations never ask.
 *
 * @param loader      the configured loader (for {@code loadAll} and read-through), or null
 * @param writesThrough whether a writer is configured (bulk removals then go key by key)
 * @param flights     the load leases: one load per key at a time across every JVM
 * @param sections    how the writes of a key take turns (exclusive across JVMs with a writer)
 */
record CacheParts<K, V>(String name, CacheOwner owner, SlotcacheConfiguration<K, V> configuration, CacheStore store,
    EntryValues<K, V> values, ExpiryPolicy expiryPolicy, ExpiryDecisions expiry, ReadPath reads, TtlWrites writes,
    ConditionalWrites<K, V> conditionals, WriteThrough<K, V> writer, boolean writesThrough, ReadThrough<K, V> loader,
    EventDispatcher<K, V> events, CacheStatistics statistics, CacheMBeans mbeans, Invocations<K, V> invocations,
    SingleFlight<V> flights, WriteSections sections) {
}
