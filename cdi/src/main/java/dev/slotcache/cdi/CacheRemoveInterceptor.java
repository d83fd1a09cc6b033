package dev.slotcache.cdi;

import jakarta.annotation.Priority;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import javax.cache.annotation.CacheRemove;

/**
 * {@link CacheRemove}: removes the call's key from the cache after the method returns (the default; after it throws
 * only an exception that {@code evictFor}/{@code noEvictFor} select) or, with {@code afterInvocation = false},
 * before it runs.
 */
@CacheRemove
@Interceptor
@Priority(SlotcacheCdiExtension.PRIORITY)
class CacheRemoveInterceptor extends CacheInterceptor<CacheRemove> {

  CacheRemoveInterceptor() {
    super(CacheRemove.class);
  }

  @Override
  Object intercept(InvocationContext context, CacheMethod<CacheRemove> method) throws Exception {
    return aroundKeyedCall(context, method, method.annotation().afterInvocation(),
        (invocation, cache, key) -> () -> cache.remove(key));
  }
}
