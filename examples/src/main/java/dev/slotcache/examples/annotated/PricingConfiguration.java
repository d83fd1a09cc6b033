package dev.slotcache.examples.annotated;

import java.net.URI;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring application context with Spring's JSR-107 interceptors ({@code @EnableCaching} with
 * {@code spring-context-support} and {@code cache-api} on the class path) on a Slotcache CacheManager. See
 * docs/spring.md for the full story, including Spring Boot.
 */
@Configuration(proxyBeanMethods = false)
@EnableCaching
public class PricingConfiguration {

  /** The CacheManager URI of this context, set before it starts. */
  static final ThreadLocal<URI> CACHE_URI = new ThreadLocal<>();

  @Bean
  public javax.cache.CacheManager jcacheManager() {
    javax.cache.CacheManager manager = Caching.getCachingProvider()
        .getCacheManager(CACHE_URI.get(), PricingConfiguration.class.getClassLoader());
    if (manager.getCache("prices") == null) {
      manager.createCache("prices", new MutableConfiguration<Object, Object>());
    }
    return manager;
  }

  @Bean
  public CacheManager cacheManager(javax.cache.CacheManager jcacheManager) {
    return new JCacheCacheManager(jcacheManager);
  }

  @Bean
  public PriceService priceService() {
    return new PriceService();
  }

  /** Starts one "application server": a context whose caches live under {@code cacheUri}. */
  public static AnnotationConfigApplicationContext start(URI cacheUri) {
    CACHE_URI.set(cacheUri);
    try {
      return new AnnotationConfigApplicationContext(PricingConfiguration.class);
    } finally {
      CACHE_URI.remove();
    }
  }
}
