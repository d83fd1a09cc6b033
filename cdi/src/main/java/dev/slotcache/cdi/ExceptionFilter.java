package dev.slotcache.cdi;

import java.lang.annotation.Annotation;
import java.util.List;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;

/**
 * Whether a thrown exception leads to the cache operation: {@code cachedExceptions}/{@code nonCachedExceptions}
 * of {@link CacheResult} (both empty: every exception is cached), {@code cacheFor}/{@code noCacheFor} of
 * {@link CachePut} and {@code evictFor}/{@code noEvictFor} of {@link CacheRemove} and {@link CacheRemoveAll} (both
 * empty: no exception leads to the put or removal). Otherwise the rules are the same for all: an exception counts
 * when it is an instance of an included class (or nothing is included) and of no excluded class.
 */
record ExceptionFilter(List<Class<? extends Throwable>> included, List<Class<? extends Throwable>> excluded,
    boolean whenNoneListed) {

  static ExceptionFilter of(Annotation annotation) {
    if (annotation instanceof CacheResult result) {
      return new ExceptionFilter(List.of(result.cachedExceptions()), List.of(result.nonCachedExceptions()), true);
    } else if (annotation instanceof CachePut put) {
      return new ExceptionFilter(List.of(put.cacheFor()), List.of(put.noCacheFor()), false);
    } else if (annotation instanceof CacheRemove remove) {
      return new ExceptionFilter(List.of(remove.evictFor()), List.of(remove.noEvictFor()), false);
    }
    CacheRemoveAll removeAll = (CacheRemoveAll) annotation;
    return new ExceptionFilter(List.of(removeAll.evictFor()), List.of(removeAll.noEvictFor()), false);
  }

  /** Whether {@code thrown} leads to the operation. */
  boolean matches(Throwable thrown) {
    if (included.isEmpty() && excluded.isEmpty()) {
      return whenNoneListed;
    }
    return (included.isEmpty() || isInstance(included, thrown)) && !isInstance(excluded, thrown);
  }

  private static boolean isInstance(List<Class<? extends Throwable>> types, Throwable thrown) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(thrown)) {
        return true;
      }
    }
    return false;
  }
}
