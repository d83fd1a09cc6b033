package dev.slotcache.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.util.UUID;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the caches of the annotations come from: Spring's {@link JCacheCacheManager} only looks caches up, so
 * someone has to create them, and Slotcache finds a cache that any JVM created on the namespace.
 */
@ExtendWith(RedisClusterExtension.class)
class CacheCreationTest {

  private static final String EFFECTIVE_JAVA = "978-0134685991";

  @Test
  void noCacheCreated_springFailsNamingTheCache(LocalRedisCluster cluster) {
    try (AnnotationConfigApplicationContext server = JCacheAnnotationsAcrossContextsTest.server(
        uri(cluster, "?client-name=lookup-only"), Catalog.withSampleBooks(), LookupOnlyConfiguration.class)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> server.getBean(BookService.class).find(EFFECTIVE_JAVA));
      assertTrue(e.getMessage().contains("Cannot find cache named 'books'"), e.getMessage());
    }
  }

  @Test
  void cachesCreatedByAnotherJvm_areFoundWithoutCreatingThem(LocalRedisCluster cluster) {
    String namespace = uri(cluster, "");
    Catalog catalog = Catalog.withSampleBooks();
    try (AnnotationConfigApplicationContext creator = JCacheAnnotationsAcrossContextsTest.server(
            namespace + "?client-name=creator", catalog);
        AnnotationConfigApplicationContext user = JCacheAnnotationsAcrossContextsTest.server(
            namespace + "?client-name=lookup-only", catalog, LookupOnlyConfiguration.class)) {
      assertEquals("Effective Java", creator.getBean(BookService.class).find(EFFECTIVE_JAVA).title());
      assertEquals("Effective Java", user.getBean(BookService.class).find(EFFECTIVE_JAVA).title());
      assertEquals(1, catalog.calls("load", EFFECTIVE_JAVA), "the lookup-only server hit the creator's entry");
      for (String name : CachingConfiguration.CACHE_NAMES) {
        creator.getBean(javax.cache.CacheManager.class).destroyCache(name);
      }
    }
  }

  /**
   * Spring stores a null result as its {@code NullValue} and a multi-parameter key as a {@code SimpleKey}: a cache
   * created with narrower key or value types refuses them.
   */
  @Test
  void typedCache_nullResult_failsWithClassCastException(LocalRedisCluster cluster) {
    try (AnnotationConfigApplicationContext server = JCacheAnnotationsAcrossContextsTest.server(
        uri(cluster, "?client-name=typed"), Catalog.withSampleBooks(), TypedBooksConfiguration.class)) {
      BookService books = server.getBean(BookService.class);
      assertEquals("Effective Java", books.find(EFFECTIVE_JAVA).title());
      ClassCastException e = assertThrows(ClassCastException.class, () -> books.find("000-0000000000"));
      assertTrue(e.getMessage().contains("NullValue"), e.getMessage());
      server.getBean(javax.cache.CacheManager.class).destroyCache("books");
    }
  }

  private static String uri(LocalRedisCluster cluster, String query) {
    return cluster.uri() + "/creation-" + UUID.randomUUID().toString().substring(0, 8) + query;
  }

  private static javax.cache.CacheManager slotcache(Environment environment) {
    return Caching.getCachingProvider(SlotcacheCachingProvider.class.getName()).getCacheManager(
        URI.create(environment.getRequiredProperty("bookshop.cache-uri")), CacheCreationTest.class.getClassLoader());
  }

  /** A JCacheCacheManager over a Slotcache CacheManager that creates no cache. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class LookupOnlyConfiguration {

    @Bean
    javax.cache.CacheManager jcacheManager(Environment environment) {
      return slotcache(environment);
    }

    @Bean
    CacheManager cacheManager(javax.cache.CacheManager jcacheManager) {
      return new JCacheCacheManager(jcacheManager);
    }
  }

  /** "books" created with the types the method seems to have: String keys, Book values. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class TypedBooksConfiguration {

    @Bean
    javax.cache.CacheManager jcacheManager(Environment environment) {
      javax.cache.CacheManager manager = slotcache(environment);
      manager.createCache("books", new MutableConfiguration<String, Book>().setTypes(String.class, Book.class));
      return manager;
    }

    @Bean
    CacheManager cacheManager(javax.cache.CacheManager jcacheManager) {
      return new JCacheCacheManager(jcacheManager);
    }
  }
}
