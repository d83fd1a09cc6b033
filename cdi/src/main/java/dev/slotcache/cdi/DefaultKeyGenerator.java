package dev.slotcache.cdi;

import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/** The key generator used when no annotation names one: a {@link ParametersKey} of the key parameters. */
final class DefaultKeyGenerator implements CacheKeyGenerator {

  static final DefaultKeyGenerator INSTANCE = new DefaultKeyGenerator();

  @Override
  public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
    if (context instanceof Invocation<?> invocation) {
      return ParametersKey.of(invocation.keyValues());
    }
    CacheInvocationParameter[] parameters = context.getKeyParameters();
    Object[] values = new Object[parameters.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = parameters[i].getValue();
    }
    return ParametersKey.of(values);
  }
}
