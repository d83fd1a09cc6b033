package dev.slotcache;

import dev.slotcache.internal.store.ClusterEvents;
import dev.slotcache.internal.store.Tracking;
import java.net.URI;

/** What a {@link SlotcacheCacheManager}'s caches see of it. */
record ManagerAsOwner(SlotcacheCacheManager manager, ClusterEvents clusterEvents, String nodeId, Tracking tracking)
    implements CacheOwner {

  @Override
  public URI uri() {
    return manager.getURI();
  }

  @Override
  public String shownUri() {
    return manager.shownUri();
  }

  @Override
  public void released(SlotcacheCache<?, ?> cache) {
    manager.released(cache);
  }
}
