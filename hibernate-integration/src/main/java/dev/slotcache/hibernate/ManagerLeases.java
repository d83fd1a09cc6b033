package dev.slotcache.hibernate;

import java.net.URI;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.spi.CachingProvider;

/**
 * Counts the SessionFactories that use each CacheManager. JCache hands out one CacheManager per (URI, class
 * loader); two SessionFactories configured with the same URI share it, and it is closed when the last of them
 * closes — not when the first does, which would close the other's regions under it.
 */
final class ManagerLeases {

  private static final Map<CacheManager, Integer> LEASES = new IdentityHashMap<>();

  private ManagerLeases() {
  }

  static CacheManager acquire(CachingProvider provider, URI uri, ClassLoader classLoader, Properties properties) {
    synchronized (LEASES) {
      CacheManager manager = provider.getCacheManager(uri, classLoader, properties);
      LEASES.merge(manager, 1, Integer::sum);
      return manager;
    }
  }

  static void release(CacheManager manager) {
    synchronized (LEASES) {
      Integer left = LEASES.merge(manager, -1, Integer::sum);
      if (left != null && left > 0) {
        return;
      }
      LEASES.remove(manager);
    }
    try {
      manager.close();
    } catch (CacheException e) {
      throw new org.hibernate.cache.CacheException("closing Slotcache CacheManager " + manager.getURI() + " failed", e);
    }
  }
}
