package dev.slotcache.cdi;

import java.lang.annotation.Annotation;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheResolver;
import javax.cache.configuration.MutableConfiguration;

/**
 * Resolves one cache by name, creating it with a plain {@link MutableConfiguration} when the CacheManager has
 * none of that name; keeps it until it is closed. Thread-safe: two threads may both look up a missing cache, and
 * the one whose {@code createCache} loses the race takes the other's.
 */
final class ManagedCacheResolver implements CacheResolver {

  private final Supplier<CacheManager> managers;
  private final String cacheName;
  private volatile Cache<Object, Object> cache;

  ManagedCacheResolver(Supplier<CacheManager> managers, String cacheName) {
    this.managers = managers;
    this.cacheName = cacheName;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> cacheInvocationContext) {
    Cache<Object, Object> current = cache;
    if (current == null || current.isClosed()) {
      current = open();
      cache = current;
    }
    return (Cache<K, V>) current;
  }

  private Cache<Object, Object> open() {
    CacheManager manager = managers.get();
    Cache<Object, Object> found = manager.getCache(cacheName);
    if (found != null) {
      return found;
    }
    try {
      return manager.createCache(cacheName, new MutableConfiguration<>());
    } catch (CacheException e) {
      found = manager.getCache(cacheName);
      if (found == null) {
        throw e;
      }
      return found;
    }
  }

  @Override
  public String toString() {
    return "ManagedCacheResolver[" + cacheName + "]";
  }
}
