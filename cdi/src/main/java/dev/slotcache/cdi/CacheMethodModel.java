package dev.slotcache.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import javax.cache.CacheException;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * What the annotations of one method of one bean class say, worked out once: the cache annotation in force, the
 * cache name, the key and value parameters, the factories to use, and the exception rules. Pure: touches no
 * cache and no container, so the extension can check every annotated method while the application deploys.
 *
 * <p>Rules (JSR-107, {@code javax.cache.annotation} javadoc): a method-level cache annotation wins over a
 * class-level one; a method may carry only one; the cache name is the annotation's, else {@link CacheDefaults}'s,
 * else {@code package.Class.method(parameter types)} of the declaring class; key parameters are those with
 * {@link CacheKey}, else all but the {@link CacheValue} one; {@link CachePut} needs exactly one {@link CacheValue}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <A> the cache annotation type
 */
final class CacheMethodModel<A extends Annotation> implements CacheMethodDetails<A> {

  /** The four annotations that make a method a cache method, in documentation order. */
  static final List<Class<? extends Annotation>> CACHE_ANNOTATIONS =
      List.of(CacheResult.class, CachePut.class, CacheRemove.class, CacheRemoveAll.class);

  private final Method method;
  private final Set<Annotation> annotations;
  private final A cacheAnnotation;
  private final String cacheName;
  private final Class<? extends CacheResolverFactory> resolverFactory;
  private final Class<? extends CacheKeyGenerator> keyGenerator;
  private final List<Set<Annotation>> parameterAnnotations;
  private final int[] keyPositions;
  private final int valuePosition;
  private final ExceptionFilter exceptionFilter;

  private CacheMethodModel(Method method, Set<Annotation> annotations, A cacheAnnotation, String cacheName,
      Class<? extends CacheResolverFactory> resolverFactory, Class<? extends CacheKeyGenerator> keyGenerator,
      List<Set<Annotation>> parameterAnnotations, int[] keyPositions, int valuePosition,
      ExceptionFilter exceptionFilter) {
    this.method = method;
    this.annotations = annotations;
    this.cacheAnnotation = cacheAnnotation;
    this.cacheName = cacheName;
    this.resolverFactory = resolverFactory;
    this.keyGenerator = keyGenerator;
    this.parameterAnnotations = parameterAnnotations;
    this.keyPositions = keyPositions;
    this.valuePosition = valuePosition;
    this.exceptionFilter = exceptionFilter;
  }

  /**
   * The model of {@code method} as a method of {@code beanClass}, or null when no cache annotation applies.
   *
   * @param methodAnnotations    the method's annotations (as the container sees them)
   * @param classAnnotations     the bean class's annotations (as the container sees them)
   * @param parameterAnnotations the annotations of each parameter, in order
   * @throws CacheException when the annotations contradict each other or the spec (a definition error)
   */
  static CacheMethodModel<?> of(Class<?> beanClass, Method method, Collection<Annotation> methodAnnotations,
      Collection<Annotation> classAnnotations, List<? extends Collection<Annotation>> parameterAnnotations) {
    Annotation cacheAnnotation = single(method, methodAnnotations, "the method");
    if (cacheAnnotation == null) {
      cacheAnnotation = single(method, classAnnotations, "class " + beanClass.getName());
    }
    if (cacheAnnotation == null) {
      return null;
    }
    CacheDefaults defaults = find(classAnnotations, CacheDefaults.class);
    if (defaults == null) {
      defaults = method.getDeclaringClass().getAnnotation(CacheDefaults.class);
    }
    return create(method, Set.copyOf(methodAnnotations), cacheAnnotation, defaults, parameterAnnotations);
  }

  private static <A extends Annotation> CacheMethodModel<A> create(Method method, Set<Annotation> annotations,
      A cacheAnnotation, CacheDefaults defaults, List<? extends Collection<Annotation>> parameterAnnotations) {
    List<Set<Annotation>> parameters = new ArrayList<>();
    List<Integer> keys = new ArrayList<>();
    List<Integer> nonValues = new ArrayList<>();
    int value = -1;
    for (int i = 0; i < parameterAnnotations.size(); i++) {
      Set<Annotation> own = Set.copyOf(parameterAnnotations.get(i));
      parameters.add(own);
      boolean isValue = find(own, CacheValue.class) != null;
      if (isValue) {
        if (value >= 0) {
          throw new CacheException(describe(method) + " has more than one @CacheValue parameter (" + (value + 1)
              + " and " + (i + 1) + "); mark only the parameter whose value is to be cached");
        }
        value = i;
      } else {
        nonValues.add(i);
      }
      if (find(own, CacheKey.class) != null) {
        keys.add(i);
      }
    }
    boolean put = cacheAnnotation instanceof CachePut;
    if (put && value < 0) {
      throw new CacheException(describe(method) + " is annotated with @CachePut but has no @CacheValue parameter; "
          + "mark the parameter whose value is to be cached with @CacheValue");
    }
    Members members = Members.of(cacheAnnotation);
    String name = members.cacheName();
    if (name.isEmpty() && defaults != null) {
      name = defaults.cacheName();
    }
    if (name.isEmpty()) {
      name = defaultCacheName(method);
    }
    Class<? extends CacheResolverFactory> factory = members.resolverFactory();
    if (factory == CacheResolverFactory.class && defaults != null) {
      factory = defaults.cacheResolverFactory();
    }
    Class<? extends CacheKeyGenerator> generator = members.keyGenerator();
    if (generator == CacheKeyGenerator.class && defaults != null) {
      generator = defaults.cacheKeyGenerator();
    }
    int[] keyPositions = (keys.isEmpty() ? nonValues : keys).stream().mapToInt(Integer::intValue).toArray();
    return new CacheMethodModel<>(method, annotations, cacheAnnotation, name,
        factory == CacheResolverFactory.class ? null : factory,
        generator == CacheKeyGenerator.class ? null : generator,
        List.copyOf(parameters), keyPositions, put ? value : -1, ExceptionFilter.of(cacheAnnotation));
  }

  /** The one cache annotation among {@code annotations}, or null; more than one is a definition error. */
  private static Annotation single(Method method, Collection<Annotation> annotations, String where) {
    Annotation found = null;
    for (Annotation annotation : annotations) {
      if (CACHE_ANNOTATIONS.contains(annotation.annotationType())) {
        if (found != null) {
          throw new CacheException(describe(method) + ": " + where + " carries both @"
              + found.annotationType().getSimpleName() + " and @" + annotation.annotationType().getSimpleName()
              + "; a method takes exactly one of @CacheResult, @CachePut, @CacheRemove and @CacheRemoveAll");
        }
        found = annotation;
      }
    }
    return found;
  }

  private static <T extends Annotation> T find(Collection<Annotation> annotations, Class<T> type) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType() == type) {
        return type.cast(annotation);
      }
    }
    return null;
  }

  /** {@code package.Class.method(parameter types)}, the spec's default cache name. */
  static String defaultCacheName(Method method) {
    String prefix = method.getDeclaringClass().getName() + "." + method.getName() + "(";
    StringJoiner types = new StringJoiner(",", prefix, ")");
    for (Class<?> type : method.getParameterTypes()) {
      types.add(type.getName());
    }
    return types.toString();
  }

  /** The method as messages name it: {@code com.acme.Dao.find(java.lang.String)}. */
  static String describe(Method method) {
    return defaultCacheName(method);
  }

  /**
   * The members the four cache annotations share, which they declare each on its own. Unset, they hold the
   * annotation's defaults: an empty name, the {@code CacheResolverFactory} and {@code CacheKeyGenerator} interfaces.
   */
  private record Members(String cacheName, Class<? extends CacheResolverFactory> resolverFactory,
      Class<? extends CacheKeyGenerator> keyGenerator) {

    static Members of(Annotation annotation) {
      if (annotation instanceof CacheResult result) {
        return new Members(result.cacheName(), result.cacheResolverFactory(), result.cacheKeyGenerator());
      } else if (annotation instanceof CachePut put) {
        return new Members(put.cacheName(), put.cacheResolverFactory(), put.cacheKeyGenerator());
      } else if (annotation instanceof CacheRemove remove) {
        return new Members(remove.cacheName(), remove.cacheResolverFactory(), remove.cacheKeyGenerator());
      }
      CacheRemoveAll all = (CacheRemoveAll) annotation;
      return new Members(all.cacheName(), all.cacheResolverFactory(), CacheKeyGenerator.class); // uses no key
    }
  }

  @Override
  public Method getMethod() {
    return method;
  }

  @Override
  public Set<Annotation> getAnnotations() {
    return annotations;
  }

  @Override
  public A getCacheAnnotation() {
    return cacheAnnotation;
  }

  @Override
  public String getCacheName() {
    return cacheName;
  }

  /** The annotation type in force: one of {@link #CACHE_ANNOTATIONS}. */
  Class<? extends Annotation> kind() {
    return cacheAnnotation.annotationType();
  }

  /** The factory class named by the annotations, or null for the default one. */
  Class<? extends CacheResolverFactory> resolverFactory() {
    return resolverFactory;
  }

  /** The key generator class named by the annotations, or null for the default one. */
  Class<? extends CacheKeyGenerator> keyGenerator() {
    return keyGenerator;
  }

  /** The exception cache of a {@link CacheResult}, or the empty string. */
  String exceptionCacheName() {
    return cacheAnnotation instanceof CacheResult result ? result.exceptionCacheName() : "";
  }

  List<Set<Annotation>> parameterAnnotations() {
    return parameterAnnotations;
  }

  int keyPosition(int index) {
    return keyPositions[index];
  }

  int keyCount() {
    return keyPositions.length;
  }

  /** Position of the {@link CacheValue} parameter of a {@link CachePut}, else -1. */
  int valuePosition() {
    return valuePosition;
  }

  /** Which exceptions a put, remove or exception-cache write happens for. */
  ExceptionFilter exceptionFilter() {
    return exceptionFilter;
  }

  @Override
  public String toString() {
    return "@" + kind().getSimpleName() + " " + describe(method) + " -> cache " + cacheName
        + (keyPositions.length == method.getParameterCount() ? ""
            : ", key parameters " + Arrays.toString(keyPositions));
  }
}
