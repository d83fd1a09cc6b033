package dev.slotcache;

import dev.slotcache.internal.store.ClusterEvents;
import dev.slotcache.internal.store.Tracking;
import java.net.URI;
import javax.cache.CacheManager;

/** What a cache needs of the manager that opened it; the cache knows no concrete manager class. */
interface CacheOwner {

  /** The JCache manager, as {@code Cache.getCacheManager()} returns it. */
  CacheManager manager();

  /** The manager's URI, for MBean names (credentials are left out there). */
  URI uri();

  /** The manager's URI for messages: passwords masked. */
  String shownUri();

  /** Events between the JVMs of the namespace. */
  ClusterEvents clusterEvents();

  /** Tells this manager's events apart from other JVMs'. */
  String nodeId();

  /** A cache closed by its user: the manager forgets it, so {@code getCache} opens a fresh one. */
  void released(SlotcacheCache<?, ?> cache);

  /** Redis' invalidations for the manager's near caches (tracking starts with the first near cache). */
  Tracking tracking();
}
