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
 *
 * <p>On a Slotcache cache with {@code single-flight} on (the default) a miss runs the method once across every JVM
 * at a time: through {@code Cache.invoke} with a processor that runs it only while the entry is missing, which
 * Slotcache runs for one caller of a key at a time in the whole cluster; the others then get the cached result (or
 * the exception cached meanwhile). A method that fails leaves the next caller to run it.
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
    if (!method.annotation().skipGet() && SingleFlightCaches.loadOnce(cache)) {
      return once(context, cache, exceptions, key, method);
    }
    Object result = proceed(context, exceptions, key, method);
    if (result != null) {
      cache.put(key, result);
    }
    return result;
  }

  /** Runs the method; an exception it throws is cached when the exception rules say so, then rethrown. */
  private static Object proceed(InvocationContext context, Cache<Object, Object> exceptions, GeneratedCacheKey key,
      CacheMethod<CacheResult> method) throws Exception {
    try {
      return context.proceed();
    } catch (Throwable thrown) {
      if (exceptions != null && method.appliesTo(thrown)) {
        Rethrow.keepingOriginal(thrown, () -> exceptions.put(key, thrown));
      }
      throw thrown;
    }
  }

  /** The method run inside {@code invoke} on a missing entry: once per key across the cluster at a time. */
  private static Object once(InvocationContext context, Cache<Object, Object> cache, Cache<Object, Object> exceptions,
      GeneratedCacheKey key, CacheMethod<CacheResult> method) throws Exception {
    try {
      return cache.invoke(key, (entry, arguments) -> {
        if (entry.exists()) {
          return entry.getValue(); // another caller's result, stored while this one waited
        }
        if (exceptions != null && exceptions.get(key) instanceof Throwable thrown) {
          throw new MethodFailed(thrown);
        }
        Object result;
        try {
          // an exception is cached before the key's turn ends: the next caller rethrows it, not running the method
          result = proceed(context, exceptions, key, method);
        } catch (Throwable thrown) {
          throw new MethodFailed(thrown);
        }
        if (result != null) {
          entry.setValue(result);
        }
        return result;
      });
    } catch (MethodFailed failed) {
      throw Rethrow.asException(failed.getCause());
    }
  }

  /** Carries the method's exception (or one cached meanwhile) out of the processor, unchanged. */
  private static final class MethodFailed extends javax.cache.processor.EntryProcessorException {
    private static final long serialVersionUID = 1L;

    MethodFailed(Throwable cause) {
      super(cause);
    }
  }
}
