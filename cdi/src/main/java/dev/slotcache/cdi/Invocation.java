package dev.slotcache.cdi;

import jakarta.interceptor.InvocationContext;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyInvocationContext;

/**
 * One intercepted call as the JSR-107 SPI sees it (cache resolvers and key generators): the method's
 * {@link CacheMethodModel} plus the target and argument values of this call. Unwraps to the
 * {@link InvocationContext} of the interceptor. Not shared between threads.
 *
 * @param <A> the cache annotation type
 */
final class Invocation<A extends Annotation> implements CacheKeyInvocationContext<A> {

  private final CacheMethodModel<A> model;
  private final InvocationContext context;
  private final Object[] arguments;

  Invocation(CacheMethodModel<A> model, InvocationContext context) {
    this.model = model;
    this.context = context;
    Object[] values = context.getParameters();
    this.arguments = values == null ? new Object[0] : values;
  }

  @Override
  public Method getMethod() {
    return model.getMethod();
  }

  @Override
  public Set<Annotation> getAnnotations() {
    return model.getAnnotations();
  }

  @Override
  public A getCacheAnnotation() {
    return model.getCacheAnnotation();
  }

  @Override
  public String getCacheName() {
    return model.getCacheName();
  }

  @Override
  public Object getTarget() {
    return context.getTarget();
  }

  @Override
  public CacheInvocationParameter[] getAllParameters() {
    CacheInvocationParameter[] all = new CacheInvocationParameter[arguments.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = parameter(i);
    }
    return all;
  }

  @Override
  public CacheInvocationParameter[] getKeyParameters() {
    CacheInvocationParameter[] keys = new CacheInvocationParameter[model.keyCount()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = parameter(model.keyPosition(i));
    }
    return keys;
  }

  @Override
  public CacheInvocationParameter getValueParameter() {
    int position = model.valuePosition();
    return position < 0 ? null : parameter(position);
  }

  /** The values of the key parameters, in order: what the default key is made of. */
  Object[] keyValues() {
    Object[] values = new Object[model.keyCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = arguments[model.keyPosition(i)];
    }
    return values;
  }

  /** The value of the {@code @CacheValue} parameter. */
  Object value() {
    return arguments[model.valuePosition()];
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(context)) {
      return type.cast(context);
    }
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("cannot unwrap a cache invocation context to " + type.getName()
        + "; it unwraps to " + InvocationContext.class.getName());
  }

  private CacheInvocationParameter parameter(int position) {
    return new InvocationParameter(model.getMethod().getParameterTypes()[position], arguments[position],
        model.parameterAnnotations().get(position), position);
  }

  @Override
  public String toString() {
    return "Invocation[" + model + "]";
  }
}
