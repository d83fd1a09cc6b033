package dev.slotcache.tck;

import com.google.inject.Guice;
import com.google.inject.Injector;
import javax.cache.annotation.BeanProvider;
import org.jsr107.ri.annotations.guice.module.CacheAnnotationsModule;

/**
 * Gives the TCK's annotation tests their beans from Guice with the reference implementation's JSR-107
 * interceptors, which resolve caches through the standard provider lookup, that is Slotcache.
 */
final class GuiceBeanProvider implements BeanProvider {

  private final Injector injector = Guice.createInjector(new CacheAnnotationsModule());

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return injector.getInstance(beanClass);
  }
}
