package dev.slotcache.cdi;

import jakarta.annotation.Priority;
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
class CachePutInterceptor extends CacheInterceptor<CachePut> {

  CachePutInterceptor() {
    super(CachePut.class);
  }

  @Override
  Object intercept(InvocationContext context, CacheMethod<CachePut> method) throws Exception {
    return aroundKeyedCall(context, method, method.annotation().afterInvocation(), (invocation, cache, key) -> {
      Object value = invocation.value();
      return () -> put(cache, key, value);
    });
  }

  private static void put(Cache<Object, Object> cache, GeneratedCacheKey key, Object value) {
    if (value == null) {
      cache.remove(key);
    } else {
      cache.put(key, value);
    }
  }
}
