package dev.slotcache.cdi;

import java.lang.annotation.Annotation;
import java.util.Objects;
import java.util.function.Supplier;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.configuration.MutableConfiguration;

/**
 * Resolves caches by name from a {@link CacheManager}, creating a missing cache with a plain
 * {@link MutableConfiguration} (no types, eternal, store-by-value) — with Slotcache, per-cache settings such as
 * {@code slotcache.cache.<name>.expire-after-write} then shape it.
 *
 * <p>The no-argument constructor, used for annotations that name no {@code cacheResolverFactory}, takes the
 * default CachingProvider's default CacheManager ({@code Caching.getCachingProvider().getCacheManager()}), looked
 * up on first use and again if it has been closed. The other constructor serves a factory of your own that wants
 * the same behaviour on another CacheManager: delegate to {@code new DefaultCacheResolverFactory(manager)}.
 *
 * <p>A resolver keeps the cache it found and looks again when that cache has been closed or destroyed.
 * Thread-safe.
 */
public class DefaultCacheResolverFactory implements CacheResolverFactory {

  private final Supplier<CacheManager> managers;

  /** Uses the default CachingProvider's default CacheManager. */
  public DefaultCacheResolverFactory() {
    this.managers = new DefaultCacheManager();
  }

  /** Uses {@code cacheManager}. */
  public DefaultCacheResolverFactory(CacheManager cacheManager) {
    Objects.requireNonNull(cacheManager, "cacheManager");
    this.managers = () -> cacheManager;
  }

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> cacheMethodDetails) {
    return new ManagedCacheResolver(managers, cacheMethodDetails.getCacheName());
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> cacheMethodDetails) {
    String name = cacheMethodDetails.getCacheAnnotation().exceptionCacheName();
    if (name.isEmpty()) {
      throw new IllegalArgumentException(cacheMethodDetails.getMethod() + " names no exceptionCacheName");
    }
    return new ManagedCacheResolver(managers, name);
  }

  /** The default CacheManager, fetched again after it was closed. */
  private static final class DefaultCacheManager implements Supplier<CacheManager> {
    private volatile CacheManager manager;

    @Override
    public CacheManager get() {
      CacheManager current = manager;
      if (current == null || current.isClosed()) {
        current = Caching.getCachingProvider().getCacheManager();
        manager = current;
      }
      return current;
    }
  }
}
