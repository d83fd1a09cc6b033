package dev.slotcache.cdi;

import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import javax.cache.Cache;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * What the four interceptors share: finding the {@link CacheMethod} of the intercepted call (a call another
 * interceptor handles, or none does, just proceeds), the before-or-after rule of {@code @CachePut},
 * {@code @CacheRemove} and {@code @CacheRemoveAll}, and for the first two the call's cache and key. Instances are
 * CDI's: one per intercepted bean.
 *
 * @param <A> the cache annotation this interceptor handles
 */
abstract class CacheInterceptor<A extends Annotation> {

  private final Class<A> kind;

  @Inject
  CacheMethods methods;

  @Inject
  @Intercepted
  Bean<?> bean;

  CacheInterceptor(Class<A> kind) {
    this.kind = kind;
  }

  @AroundInvoke
  Object intercept(InvocationContext context) throws Exception {
    CacheMethod<A> method = methods.find(bean.getBeanClass(), context.getMethod(), kind);
    return method == null ? context.proceed() : intercept(context, method);
  }

  /** Runs the call of a method that carries this interceptor's annotation. */
  abstract Object intercept(InvocationContext context, CacheMethod<A> method) throws Exception;

  /**
   * Runs the call with {@code cacheOperation} before it ({@code after} false) or after it returns; after it throws,
   * only when the annotation's exception rules select the exception, which the caller gets in any case.
   */
  static Object aroundCall(InvocationContext context, CacheMethod<?> method, boolean after, Runnable cacheOperation)
      throws Exception {
    if (!after) {
      cacheOperation.run();
    }
    Object result;
    try {
      result = context.proceed();
    } catch (Throwable thrown) {
      if (after && method.appliesTo(thrown)) {
        Rethrow.keepingOriginal(thrown, cacheOperation);
      }
      throw thrown;
    }
    if (after) {
      cacheOperation.run();
    }
    return result;
  }

  /**
   * {@link #aroundCall} for an operation on the call's key: resolves the cache, then the key, and has
   * {@code operation} make the cache operation from them before the call runs.
   */
  static <A extends Annotation> Object aroundKeyedCall(InvocationContext context, CacheMethod<A> method,
      boolean after, KeyedOperation<A> operation) throws Exception {
    Invocation<A> invocation = method.invocation(context);
    Cache<Object, Object> cache = method.cache(invocation);
    GeneratedCacheKey key = method.key(invocation);
    return aroundCall(context, method, after, operation.on(invocation, cache, key));
  }

  /** Makes the cache operation of one call from the call, its cache and its key. */
  interface KeyedOperation<A extends Annotation> {
    Runnable on(Invocation<A> invocation, Cache<Object, Object> cache, GeneratedCacheKey key);
  }
}
