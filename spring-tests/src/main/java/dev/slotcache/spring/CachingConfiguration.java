package dev.slotcache.spring;

import dev.slotcache.spi.SlotcacheCachingProvider;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Plain Spring (no Boot): {@code @EnableCaching} turns on the JSR-107 annotation interceptors (they need
 * {@code cache-api} and {@code spring-context-support} on the class path), {@link JCacheCacheManager} adapts a
 * Slotcache {@code javax.cache.CacheManager}, and the caches the annotations name are created here, because
 * Spring never creates a missing JCache cache. The CacheManager URI comes from the property
 * {@code bookshop.cache-uri}: a {@code redis://} URI or a {@code classpath:}/{@code file:} properties file.
 */
// readme:spring-config
@Configuration(proxyBeanMethods = false)
@EnableCaching
public class CachingConfiguration {

  /** The caches {@link BookService} names. */
  static final List<String> CACHE_NAMES = List.of("books", "prices", "price-failures");

  @Bean // closed with the context: Spring calls CacheManager.close()
  public javax.cache.CacheManager jcacheManager(Environment environment) {
    URI uri = URI.create(environment.getRequiredProperty("bookshop.cache-uri"));
    javax.cache.CacheManager manager = Caching.getCachingProvider(SlotcacheCachingProvider.class.getName())
        .getCacheManager(uri, CachingConfiguration.class.getClassLoader());
    Set<String> open = new HashSet<>();
    manager.getCacheNames().forEach(open::add); // caches this manager has already opened
    for (String name : CACHE_NAMES) {
      if (!open.contains(name)) { // adopts the cache when another JVM created it in the cluster
        manager.createCache(name, new MutableConfiguration<Object, Object>());
      }
    }
    return manager;
  }

  @Bean
  public CacheManager cacheManager(javax.cache.CacheManager jcacheManager) {
    return new JCacheCacheManager(jcacheManager);
  }
}
// end:spring-config
