package dev.slotcache.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.CacheException;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;

/**
 * The cache methods of one container, each set up on its first call: the model the extension worked out at
 * deployment, the resolvers its {@link CacheResolverFactory} gives (once per method) and its
 * {@link CacheKeyGenerator}.
 *
 * <p>Factories and key generators named in annotations are CDI beans when the container has exactly one bean of
 * that class (so they can inject what they need), else instances made with their no-argument constructor. One
 * instance per class serves every method. Thread-safe: lookups are lock-free once a method is set up; setting up
 * takes one lock.
 */
@ApplicationScoped
class CacheMethods {

  private final ConcurrentMap<MethodKey, Optional<CacheMethod<?>>> methods = new ConcurrentHashMap<>();
  private final ConcurrentMap<Class<?>, Object> components = new ConcurrentHashMap<>();
  private final DefaultCacheResolverFactory defaultFactory = new DefaultCacheResolverFactory();
  private final Object creationLock = new Object();

  @Inject
  SlotcacheCdiExtension extension;

  @Inject
  Instance<Object> beans;

  /**
   * The cache method for a call of {@code method} on a bean of {@code beanClass}, when the annotation in force is
   * of type {@code kind}; else null (another of the interceptors handles the call, or none applies).
   */
  @SuppressWarnings("unchecked")
  <A extends Annotation> CacheMethod<A> find(Class<?> beanClass, Method method, Class<A> kind) {
    MethodKey key = new MethodKey(beanClass, method);
    Optional<CacheMethod<?>> found = methods.get(key);
    if (found == null) {
      // First calls are rare: one lock keeps the factory's getCacheResolver to once per method, as the spec says.
      synchronized (creationLock) {
        found = methods.get(key);
        if (found == null) {
          found = Optional.ofNullable(create(key));
          methods.put(key, found);
        }
      }
    }
    return found.filter(m -> m.annotation().annotationType() == kind).map(m -> (CacheMethod<A>) m).orElse(null);
  }

  private CacheMethod<?> create(MethodKey key) {
    CacheMethodModel<?> model = extension.model(key).orElseGet(() -> reflect(key));
    return model == null ? null : create(model);
  }

  @SuppressWarnings("unchecked")
  private <A extends Annotation> CacheMethod<A> create(CacheMethodModel<A> model) {
    CacheResolverFactory factory = model.resolverFactory() == null
        ? defaultFactory : component(model.resolverFactory(), model);
    CacheResolver resolver = factory.getCacheResolver(model);
    CacheResolver exceptionResolver = null;
    if (!model.exceptionCacheName().isEmpty()) {
      exceptionResolver = factory.getExceptionCacheResolver((CacheMethodDetails<CacheResult>) model);
    }
    if (resolver == null || (!model.exceptionCacheName().isEmpty() && exceptionResolver == null)) {
      throw new CacheException("cache resolver factory " + factory.getClass().getName() + " gave no resolver for "
          + model + "; a CacheResolverFactory must return one");
    }
    CacheKeyGenerator generator = null;
    if (model.kind() != CacheRemoveAll.class) {
      generator = model.keyGenerator() == null ? DefaultKeyGenerator.INSTANCE : component(model.keyGenerator(), model);
    }
    return new CacheMethod<>(model, resolver, exceptionResolver, generator);
  }

  /** For a bean the extension did not see (not a managed bean): the annotations by reflection. */
  private static CacheMethodModel<?> reflect(MethodKey key) {
    Method method = key.method();
    List<List<Annotation>> parameters = new ArrayList<>();
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      parameters.add(Arrays.asList(annotations));
    }
    return CacheMethodModel.of(key.beanClass(), method, Arrays.asList(method.getAnnotations()),
        Arrays.asList(key.beanClass().getAnnotations()), parameters);
  }

  /** Called under the creation lock. Not computeIfAbsent: creating a bean may call other cache methods. */
  private <T> T component(Class<T> type, CacheMethodModel<?> model) {
    Object component = components.get(type);
    if (component == null) {
      component = instantiate(type, model);
      components.put(type, component);
    }
    return type.cast(component);
  }

  private Object instantiate(Class<?> type, CacheMethodModel<?> model) {
    try {
      return instantiate(type);
    } catch (CacheException e) {
      throw new CacheException(e.getMessage() + " (named for " + model + ")", e);
    }
  }

  private Object instantiate(Class<?> type) {
    Instance<?> bean = beans.select(type);
    if (bean.isResolvable()) {
      return bean.get();
    }
    if (bean.isAmbiguous()) {
      throw new CacheException("more than one CDI bean has type " + type.getName()
          + "; leave exactly one, or mark one @Default and qualify the others");
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      throw new CacheException(type.getName() + " is abstract and no CDI bean implements it; "
          + "name a concrete class in the annotation");
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new CacheException(type.getName() + " is no CDI bean and has no no-argument constructor; give it a "
          + "bean-defining annotation such as @ApplicationScoped, or a no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new CacheException("the constructor of " + type.getName() + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new CacheException("cannot instantiate " + type.getName() + ": " + e, e);
    }
  }
}
