package dev.slotcache.cdi;

import jakarta.enterprise.inject.Intercepted;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;

/**
 * What the four interceptors share: finding the {@link CacheMethod} of the intercepted call (a call another
 * interceptor handles, or none does, just proceeds), and the before-or-after rule of {@code @CachePut},
 * {@code @CacheRemove} and {@code @CacheRemoveAll}. Instances are CDI's: one per intercepted bean.
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
}
