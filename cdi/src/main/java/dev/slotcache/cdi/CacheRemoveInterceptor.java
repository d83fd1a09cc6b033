package dev.slotcache.cdi;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.Cache;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * {@link CacheRemove}: removes the call's key from the cache after the method returns (the default; after it throws
 * only an exception that {@code evictFor}/{@code noEvictFor} select) or, with {@code afterInvocation = false},
 * before it runs.
 */
@CacheRemove
@Interceptor
@Priority(SlotcacheCdiExtension.PRIORITY)
class CacheRemoveInterceptor {

  @Inject
  CacheMethods methods;

  @Inject
  @Intercepted
  Bean<?> bean;

  @AroundInvoke
  Object cacheRemove(InvocationContext context) throws Exception {
    CacheMethod<CacheRemove> method = methods.find(bean.getBeanClass(), context.getMethod(), CacheRemove.class);
    if (method == null) {
      return context.proceed();
    }
    Invocation<CacheRemove> invocation = method.invocation(context);
    Cache<Object, Object> cache = method.cache(invocation);
    GeneratedCacheKey key = method.key(invocation);
    boolean after = method.annotation().afterInvocation();
    if (!after) {
      cache.remove(key);
    }
    Object result;
    try {
      result = context.proceed();
    } catch (Throwable thrown) {
      if (after && method.appliesTo(thrown)) {
        Rethrow.keepingOriginal(thrown, () -> cache.remove(key));
      }
      throw thrown;
    }
    if (after) {
      cache.remove(key);
    }
    return result;
  }
}
