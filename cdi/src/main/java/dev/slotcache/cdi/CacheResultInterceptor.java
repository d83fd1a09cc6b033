package dev.slotcache.cdi;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.Cache;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@link CacheResult}: returns the cached value of the call's key when there is one (unless {@code skipGet});
 * else rethrows the exception cached for the key, when an {@code exceptionCacheName} is set; else runs the method
 * and caches a non-null result, or caches the exception it throws when the exception rules say so.
 */
@CacheResult
@Interceptor
@Priority(SlotcacheCdiExtension.PRIORITY)
class CacheResultInterceptor extends CacheInterceptor<CacheResult> {

  CacheResultInterceptor() {
    super(CacheResult.class);
  }

  @Override
  Object intercept(InvocationContext context, CacheMethod<CacheResult> method) throws Exception {
    Invocation<CacheResult> invocation = method.invocation(context);
    Cache<Object, Object> cache = method.cache(invocation);
    Cache<Object, Object> exceptions = method.exceptionCache(invocation);
    GeneratedCacheKey key = method.key(invocation);
    if (!method.annotation().skipGet()) {
      Object cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
      if (exceptions != null && exceptions.get(key) instanceof Throwable thrown) {
        throw Rethrow.asException(thrown);
      }
    }
    Object result;
    try {
      result = context.proceed();
    } catch (Throwable thrown) {
      if (exceptions != null && method.appliesTo(thrown)) {
        Rethrow.keepingOriginal(thrown, () -> exceptions.put(key, thrown));
      }
      throw thrown;
    }
    if (result != null) {
      cache.put(key, result);
    }
    return result;
  }
}
