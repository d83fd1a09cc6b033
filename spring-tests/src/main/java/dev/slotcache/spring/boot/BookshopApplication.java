package dev.slotcache.spring.boot;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.spring.BookService;
import dev.slotcache.spring.Catalog;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The Spring Boot route: {@code application.properties} selects JCache with the Slotcache provider and the
 * {@code slotcache.properties} file, and names the caches Boot creates ({@code spring.cache.cache-names}); a
 * {@link JCacheManagerCustomizer} creates the one cache configured in code.
 */
// readme:boot-application
@SpringBootApplication(proxyBeanMethods = false)
@EnableCaching
@Import(BookService.class)
public class BookshopApplication {

  public static void main(String[] args) {
    SpringApplication.run(BookshopApplication.class, args);
  }

  @Bean
  Catalog catalog() {
    return Catalog.withSampleBooks();
  }

  /** "price-failures" is created in code: a "no such book" answer is kept for ten minutes. */
  @Bean
  JCacheManagerCustomizer priceFailuresCache() {
    return cacheManager -> cacheManager.createCache("price-failures", new SlotcacheConfiguration<Object, Object>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.TEN_MINUTES)));
  }
}
// end:boot-application
