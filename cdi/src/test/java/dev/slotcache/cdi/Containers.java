package dev.slotcache.cdi;

import dev.slotcache.testkit.LocalRedisCluster;
import jakarta.enterprise.inject.spi.Extension;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Weld SE containers for the tests, and the default CacheManager they use: the JCache default one, pointed at
 * the shared test cluster (namespace {@value #NAMESPACE}) through the {@code slotcache.uri} system property.
 */
final class Containers {

  static final String NAMESPACE = "cdi-tests";

  private Containers() {
  }

  /** Points the default CacheManager at the test cluster (the same cluster for every test class of the run). */
  static void useCluster(LocalRedisCluster cluster) {
    System.setProperty("slotcache.uri", cluster.uri() + "/" + NAMESPACE);
  }

  /**
   * A container whose beans are {@code beanClasses}, plus what the extension adds. Discovery stays on, so the
   * extension comes in through its {@code META-INF/services} entry, as in an application server (the test class
   * path holds no {@code beans.xml}, so discovery adds no other beans).
   */
  static WeldContainer start(Class<?>... beanClasses) {
    return weld(beanClasses).initialize();
  }

  /** As {@link #start(Class[])}, with {@code extension} added, as an application's own portable extension. */
  static WeldContainer start(Extension extension, Class<?>... beanClasses) {
    return weld(beanClasses).addExtension(extension).initialize();
  }

  private static Weld weld(Class<?>... beanClasses) {
    return new Weld("test-" + UUID.randomUUID()).addBeanClasses(beanClasses);
  }

  /** The default CacheManager, as the default cache resolver factory uses it. */
  static CacheManager defaultManager() {
    return Caching.getCachingProvider().getCacheManager();
  }

  /** A cache of the default CacheManager, or null when nothing created it yet. */
  static Cache<Object, Object> cache(String name) {
    return defaultManager().getCache(name);
  }

  /** For test beans: throws {@code failure}, unless it is null. */
  static void throwIfGiven(RuntimeException failure) {
    if (failure != null) {
      throw failure;
    }
  }

  /** Empties the named caches of the default CacheManager that exist. */
  static void clear(String... names) {
    for (String name : names) {
      Cache<Object, Object> cache = cache(name);
      if (cache != null) {
        cache.clear();
      }
    }
  }
}
