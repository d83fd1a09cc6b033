package dev.slotcache.cdi;

import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * A cache method ready to run: its {@link CacheMethodModel} with the {@link CacheResolver}s the factory gave for it
 * (once per method, as the spec says) and its {@link CacheKeyGenerator}. Thread-safe.
 *
 * @param <A> the cache annotation type
 */
final class CacheMethod<A extends Annotation> {

  private final CacheMethodModel<A> model;
  private final CacheResolver resolver;
  private final CacheResolver exceptionResolver;
  private final CacheKeyGenerator keyGenerator;

  /**
   * @param exceptionResolver null unless the method caches exceptions
   * @param keyGenerator      null for {@code @CacheRemoveAll}, which uses no key
   */
  CacheMethod(CacheMethodModel<A> model, CacheResolver resolver, CacheResolver exceptionResolver,
      CacheKeyGenerator keyGenerator) {
    this.model = model;
    this.resolver = resolver;
    this.exceptionResolver = exceptionResolver;
    this.keyGenerator = keyGenerator;
  }

  A annotation() {
    return model.getCacheAnnotation();
  }

  Invocation<A> invocation(InvocationContext context) {
    return new Invocation<>(model, context);
  }

  /** The cache of this call, from the resolver. */
  Cache<Object, Object> cache(Invocation<A> invocation) {
    return resolved(resolver, invocation, model.getCacheName());
  }

  /** The exception cache of this call, or null when the method caches no exceptions. */
  Cache<Object, Object> exceptionCache(Invocation<A> invocation) {
    return exceptionResolver == null ? null : resolved(exceptionResolver, invocation, model.exceptionCacheName());
  }

  /** The key of this call, from the key generator. */
  GeneratedCacheKey key(Invocation<A> invocation) {
    GeneratedCacheKey key = keyGenerator.generateCacheKey(invocation);
    if (key == null) {
      throw new CacheException("key generator " + keyGenerator.getClass().getName() + " returned no key for "
          + CacheMethodModel.describe(model.getMethod()) + "; a CacheKeyGenerator must return a non-null key");
    }
    return key;
  }

  /** Whether {@code thrown} leads to the put, removal or exception caching, by the annotation's rules. */
  boolean appliesTo(Throwable thrown) {
    return model.exceptionFilter().matches(thrown);
  }

  private Cache<Object, Object> resolved(CacheResolver cacheResolver, Invocation<A> invocation, String name) {
    Cache<Object, Object> cache = cacheResolver.resolveCache(invocation);
    if (cache == null) {
      throw new CacheException("cache resolver " + cacheResolver.getClass().getName() + " found no cache '" + name
          + "' for " + CacheMethodModel.describe(model.getMethod()) + "; a CacheResolver must return a cache");
    }
    return cache;
  }
}
