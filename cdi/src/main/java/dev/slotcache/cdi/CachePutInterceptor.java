package dev.slotcache.cdi;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.Cache;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@link CachePut}: stores the {@code @CacheValue} argument under the call's key, after the method returns (the
 * default; after it throws only an exception that {@code cacheFor}/{@code noCacheFor} select) or, with
 * {@code afterInvocation = false}, before it runs. A null value cannot be cached: the key's entry is removed
 * instead, so the cache never keeps a value the call replaced.
 */
@CachePut
@Interceptor
@Priority(SlotcacheCdiExtension.PRIORITY)
class CachePutInterceptor {

  @Inject
  CacheMethods methods;

  @Inject
  @Intercepted
  Bean<?> bean;

  @AroundInvoke
  Object cachePut(InvocationContext context) throws Exception {
    CacheMethod<CachePut> method = methods.find(bean.getBeanClass(), context.getMethod(), CachePut.class);
    if (method == null) {
      return context.proceed();
    }
    Invocation<CachePut> invocation = method.invocation(context);
    Cache<Object, Object> cache = method.cache(invocation);
    GeneratedCacheKey key = method.key(invocation);
    Object value = invocation.value();
    boolean after = method.annotation().afterInvocation();
    if (!after) {
      put(cache, key, value);
    }
    Object result;
    try {
      result = context.proceed();
    } catch (Throwable thrown) {
      if (after && method.appliesTo(thrown)) {
        Rethrow.keepingOriginal(thrown, () -> put(cache, key, value));
      }
      throw thrown;
    }
    if (after) {
      put(cache, key, value);
    }
    return result;
  }

  private static void put(Cache<Object, Object> cache, GeneratedCacheKey key, Object value) {
    if (value == null) {
      cache.remove(key);
    } else {
      cache.put(key, value);
    }
  }
}
