package dev.slotcache.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.Interceptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.CacheException;

/**
 * Makes the JSR-107 annotations work in a Jakarta CDI container (CDI 4.x, e.g. Weld 5/6): found through
 * {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}, it
 * <ol>
 *   <li>declares {@code @CacheResult}, {@code @CachePut}, {@code @CacheRemove} and {@code @CacheRemoveAll} interceptor
 *       bindings with all their members {@code @Nonbinding} (the annotations predate the {@code jakarta}
 *       namespace, so they cannot say so themselves);</li>
 *   <li>adds the four interceptors, enabled for the whole application with priority {@link #PRIORITY}, whatever
 *       the bean discovery mode of this jar or of the application;</li>
 *   <li>checks the cache annotations of every managed bean while the application deploys: contradictory ones (two
 *       cache annotations on a method, {@code @CachePut} without one {@code @CacheValue} parameter, a cache
 *       annotation on a final method) fail the deployment with a definition error naming the method.</li>
 * </ol>
 * One instance per container; thread-safe after deployment.
 */
public class SlotcacheCdiExtension implements Extension {

  /**
   * Priority of the interceptors: {@code Interceptor.Priority.LIBRARY_BEFORE}, so they run inside platform
   * interceptors (transactions, security) and around the application's own interceptors, which a cache hit skips.
   */
  public static final int PRIORITY = Interceptor.Priority.LIBRARY_BEFORE;

  private static final List<Class<?>> COMPONENTS = List.of(CacheResultInterceptor.class, CachePutInterceptor.class,
      CacheRemoveInterceptor.class, CacheRemoveAllInterceptor.class, CacheMethods.class);

  private final Map<MethodKey, CacheMethodModel<?>> models = new ConcurrentHashMap<>();

  void declareBindings(@Observes BeforeBeanDiscovery event) {
    for (Class<? extends Annotation> binding : CacheMethodModel.CACHE_ANNOTATIONS) {
      event.configureInterceptorBinding(binding).methods().forEach(member -> member.add(Nonbinding.Literal.INSTANCE));
    }
    for (Class<?> component : COMPONENTS) {
      event.addAnnotatedType(component, SlotcacheCdiExtension.class.getName() + "." + component.getSimpleName());
    }
  }

  <X> void checkCacheMethods(@Observes ProcessManagedBean<X> event) {
    AnnotatedType<X> type = event.getAnnotatedBeanClass();
    if (type.isAnnotationPresent(Interceptor.class)) {
      return;
    }
    Class<?> beanClass = event.getBean().getBeanClass();
    for (AnnotatedMethod<? super X> method : type.getMethods()) {
      Method javaMethod = method.getJavaMember();
      int modifiers = javaMethod.getModifiers();
      if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)
          || javaMethod.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        CacheMethodModel<?> model = CacheMethodModel.of(beanClass, javaMethod, method.getAnnotations(),
            type.getAnnotations(), parameterAnnotations(method));
        if (model == null) {
          continue;
        }
        if (Modifier.isFinal(modifiers) && hasCacheAnnotation(method.getAnnotations())) {
          throw new CacheException(CacheMethodModel.describe(javaMethod) + " is final, so no interceptor can "
              + "apply its @" + model.kind().getSimpleName() + "; remove the final modifier");
        }
        models.put(new MethodKey(beanClass, javaMethod), model);
      } catch (CacheException e) {
        event.addDefinitionError(e);
      }
    }
  }

  /** The model worked out at deployment for a method of a managed bean class. */
  Optional<CacheMethodModel<?>> model(MethodKey key) {
    return Optional.ofNullable(models.get(key));
  }

  private static List<Set<Annotation>> parameterAnnotations(AnnotatedMethod<?> method) {
    List<Set<Annotation>> annotations = new ArrayList<>();
    for (AnnotatedParameter<?> parameter : method.getParameters()) {
      annotations.add(parameter.getAnnotations());
    }
    return annotations;
  }

  private static boolean hasCacheAnnotation(Set<Annotation> annotations) {
    return annotations.stream().anyMatch(a -> CacheMethodModel.CACHE_ANNOTATIONS.contains(a.annotationType()));
  }
}
