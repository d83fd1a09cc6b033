package dev.slotcache.tck;

import javax.cache.annotation.BeanProvider;
import manager.CacheNameOnEachMethodBlogManagerImpl;
import manager.ClassLevelCacheConfigBlogManagerImpl;
import manager.UsingDefaultCacheNameBlogManagerImpl;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Gives the TCK's annotation tests their beans from a Weld SE container with Slotcache's CDI interceptors
 * ({@code slotcache-cdi}, found through its {@code META-INF/services} entry). The TCK's annotated classes carry no
 * CDI or {@code javax.inject} annotation, and the TCK jar's empty {@code beans.xml} means discovery mode
 * {@code annotated} since CDI 4, so discovery would not make them beans: they are added as bean classes (a
 * synthetic archive, where they are {@code @Dependent} beans).
 */
final class WeldBeanProvider implements BeanProvider {

  private final WeldContainer container = new Weld("slotcache-tck")
      .addBeanClasses(CacheNameOnEachMethodBlogManagerImpl.class, ClassLevelCacheConfigBlogManagerImpl.class,
          UsingDefaultCacheNameBlogManagerImpl.class)
      .initialize();

  @Override
  public <T> T getBeanByType(Class<T> beanClass) {
    return container.select(beanClass).get();
  }
}
