package dev.slotcache.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.Crowd;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring's own {@code @Cacheable(sync = true)} on a Slotcache cache, from two application contexts (as two servers)
 * × 8 threads at once, on cold keys whose load takes 200 ms: the method runs once per key across both, and every
 * caller gets the value it stored. Spring sends {@code sync} as {@code Cache.invoke} with a processor that loads
 * only when the entry is missing; Slotcache runs such a processor once per key in the cluster at a time.
 */
@ExtendWith(RedisClusterExtension.class)
class CacheableSyncAcrossContextsTest {

  private static final int THREADS_PER_CONTEXT = 8;
  private static final List<String> ISBNS = List.of("978-0134685991", "978-1617294945", "978-0596009205");

  /** The cached service: a slow lookup in the catalog. */
  static class SlowBooks {
    private final Catalog catalog;

    SlowBooks(Catalog catalog) {
      this.catalog = catalog;
    }

    @Cacheable(cacheNames = "slow-books", sync = true)
    public Book find(String isbn) throws InterruptedException {
      Thread.sleep(200); // the database's query
      Book book = catalog.load(isbn);
      return new Book(book.isbn(), book.title() + " #" + UUID.randomUUID(), book.price()); // each load its own
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class SyncConfiguration {
    @Bean
    javax.cache.CacheManager jcacheManager(org.springframework.core.env.Environment environment) {
      javax.cache.CacheManager manager = Caching.getCachingProvider(SlotcacheCachingProvider.class.getName())
          .getCacheManager(URI.create(environment.getRequiredProperty("bookshop.cache-uri")),
              SyncConfiguration.class.getClassLoader());
      if (manager.getCache("slow-books") == null) {
        manager.createCache("slow-books", new MutableConfiguration<Object, Object>());
      }
      return manager;
    }

    @Bean
    org.springframework.cache.CacheManager cacheManager(javax.cache.CacheManager jcacheManager) {
      return new JCacheCacheManager(jcacheManager);
    }

    @Bean
    SlowBooks slowBooks(Catalog catalog) {
      return new SlowBooks(catalog);
    }
  }

  @Test
  void cacheableSync_fromTwoContexts_runsTheMethodOncePerKey_andEveryCallerGetsTheStoredValue(
      LocalRedisCluster cluster) throws Exception {
    Catalog catalog = Catalog.withSampleBooks();
    String namespace = "spring-sync-" + UUID.randomUUID().toString().substring(0, 8);
    try (AnnotationConfigApplicationContext serverA = JCacheAnnotationsAcrossContextsTest.server(
        cluster.uri() + "/" + namespace + "?client-name=server-a", catalog, SyncConfiguration.class);
        AnnotationConfigApplicationContext serverB = JCacheAnnotationsAcrossContextsTest.server(
            cluster.uri() + "/" + namespace + "?client-name=server-b", catalog, SyncConfiguration.class)) {
      List<SlowBooks> services = List.of(serverA.getBean(SlowBooks.class), serverB.getBean(SlowBooks.class));
      Map<String, Set<Book>> seen = new ConcurrentHashMap<>();
      Crowd.run(THREADS_PER_CONTEXT * 2, Duration.ofSeconds(60), t -> {
        for (String isbn : ISBNS) {
          seen.computeIfAbsent(isbn, k -> ConcurrentHashMap.newKeySet()).add(services.get(t % 2).find(isbn));
        }
      });
      for (String isbn : ISBNS) {
        assertEquals(1, catalog.calls("load", isbn), "method runs for " + isbn);
        assertEquals(1, seen.get(isbn).size(), "values callers got for " + isbn + ": " + seen.get(isbn));
        assertEquals(seen.get(isbn).iterator().next(), services.get(1).find(isbn), "the stored value");
      }
      serverA.getBean(javax.cache.CacheManager.class).destroyCache("slow-books");
    }
  }
}
