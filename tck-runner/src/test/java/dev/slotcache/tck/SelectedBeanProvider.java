package dev.slotcache.tck;

import javax.cache.annotation.BeanProvider;

/**
 * The TCK's {@link BeanProvider}: the reference implementation's Guice interceptors, or Slotcache's CDI interceptors
 * on Weld when system property {@value #CONTAINER} is {@code weld} (each surefire execution of the annotation tests
 * sets it, so the same tests run through both).
 */
public final class SelectedBeanProvider implements BeanProvider {

  /** System property that chooses the container: {@code guice} (default) or {@code weld}. */
  static final String CONTAINER = "tck.annotations.container";

  private final BeanProvider delegate = "weld".equals(System.getProperty(CONTAINER))
      ? new WeldBeanProvider() : new GuiceBeanProvider();

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return delegate.getBeanByType(beanClass);
  }
}
