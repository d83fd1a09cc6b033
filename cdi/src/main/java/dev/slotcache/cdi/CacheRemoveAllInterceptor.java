package dev.slotcache.cdi;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.Cache;
import javax.cache.annotation.CacheRemoveAll;

/**
 * {@link CacheRemoveAll}: empties the cache with {@link Cache#removeAll()} after the method returns (the default;
 * after it throws only an exception that {@code evictFor}/{@code noEvictFor} select) or, with
 * {@code afterInvocation = false}, before it runs.
 */
@CacheRemoveAll
@Interceptor
@Priority(SlotcacheCdiExtension.PRIORITY)
class CacheRemoveAllInterceptor {

  @Inject
  CacheMethods methods;

  @Inject
  @Intercepted
  Bean<?> bean;

  @AroundInvoke
  Object cacheRemoveAll(InvocationContext context) throws Exception {
    CacheMethod<CacheRemoveAll> method = methods.find(bean.getBeanClass(), context.getMethod(), CacheRemoveAll.class);
    if (method == null) {
      return context.proceed();
    }
    Cache<Object, Object> cache = method.cache(method.invocation(context));
    boolean after = method.annotation().afterInvocation();
    if (!after) {
      cache.removeAll();
    }
    Object result;
    try {
      result = context.proceed();
    } catch (Throwable thrown) {
      if (after && method.appliesTo(thrown)) {
        Rethrow.keepingOriginal(thrown, cache::removeAll);
      }
      throw thrown;
    }
    if (after) {
      cache.removeAll();
    }
    return result;
  }
}
