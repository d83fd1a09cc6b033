package dev.slotcache.cdi;

import jakarta.annotation.Priority;
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
class CacheRemoveAllInterceptor extends CacheInterceptor<CacheRemoveAll> {

  CacheRemoveAllInterceptor() {
    super(CacheRemoveAll.class);
  }

  @Override
  Object intercept(InvocationContext context, CacheMethod<CacheRemoveAll> method) throws Exception {
    Cache<Object, Object> cache = method.cache(method.invocation(context));
    return aroundCall(context, method, method.annotation().afterInvocation(), cache::removeAll);
  }
}
