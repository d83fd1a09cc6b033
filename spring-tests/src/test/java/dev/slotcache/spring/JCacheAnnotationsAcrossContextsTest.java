package dev.slotcache.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Two Spring application contexts stand for two application servers: each has its own Slotcache CacheManager
 * (own URI, own connections) on the same cluster and namespace, and both use one {@link Catalog}, the shared
 * system of record. What one context caches, the other reads from Redis.
 */
@ExtendWith(RedisClusterExtension.class)
class JCacheAnnotationsAcrossContextsTest {

  private static final List<String> ISBNS = List.of("978-0134685991", "978-1617294945", "978-0596009205");
  private static final String EFFECTIVE_JAVA = "978-0134685991";

  private final Catalog catalog = Catalog.withSampleBooks();
  private AnnotationConfigApplicationContext serverA;
  private AnnotationConfigApplicationContext serverB;
  private BookService a;
  private BookService b;

  @BeforeEach
  void start(LocalRedisCluster cluster) {
    String namespace = "spring-" + UUID.randomUUID().toString().substring(0, 8);
    serverA = server(cluster.uri() + "/" + namespace + "?client-name=server-a", catalog);
    serverB = server(cluster.uri() + "/" + namespace + "?client-name=server-b", catalog);
    a = serverA.getBean(BookService.class);
    b = serverB.getBean(BookService.class);
  }

  @AfterEach
  void stop() {
    javax.cache.CacheManager manager = serverA.getBean(javax.cache.CacheManager.class);
    for (String name : CachingConfiguration.CACHE_NAMES) {
      manager.destroyCache(name);
    }
    serverA.close();
    serverB.close();
  }

  static AnnotationConfigApplicationContext server(String cacheUri, Catalog catalog, Class<?>... configuration) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources()
        .addFirst(new MapPropertySource("server", Map.of("bookshop.cache-uri", cacheUri)));
    context.registerBean(Catalog.class, () -> catalog);
    context.register(configuration.length == 0 ? new Class<?>[] {CachingConfiguration.class} : configuration);
    context.register(BookService.class, FailingWrites.class);
    context.refresh();
    return context;
  }

  @Test
  void cacheResult_calledInBothContexts_runsOncePerKey() {
    for (int round = 0; round < 3; round++) {
      for (String isbn : ISBNS) {
        Book fromA = a.find(isbn);
        assertEquals(isbn, fromA.isbn());
        assertEquals(fromA, b.find(isbn));
      }
    }
    for (String isbn : ISBNS) {
      assertEquals(1, catalog.calls("load", isbn), "loads of " + isbn);
    }
  }

  @Test
  void cacheResult_nullResult_isCachedForTheOtherContextToo() {
    assertNull(a.find("000-0000000000"));
    assertNull(b.find("000-0000000000"));
    assertNull(a.find("000-0000000000"));
    assertEquals(1, catalog.calls("load", "000-0000000000"));
  }

  @Test
  void cachePut_storesTheValueTheOtherContextReads() {
    Book book = new Book("978-1449370831", "Designing Data-Intensive Applications", new BigDecimal("59.99"));
    a.save(book.isbn(), book);
    assertEquals(book, b.find(book.isbn()));
    assertEquals(0, catalog.calls("load", book.isbn()), "the put filled the cache");

    Book reprint = new Book(EFFECTIVE_JAVA, "Effective Java, 3rd edition", new BigDecimal("41.00"));
    assertEquals("Effective Java", b.find(EFFECTIVE_JAVA).title());
    a.save(EFFECTIVE_JAVA, reprint);
    assertEquals(reprint, b.find(EFFECTIVE_JAVA));
    assertEquals(1, catalog.calls("load", EFFECTIVE_JAVA));
  }

  @Test
  void cachePut_methodThrows_cacheUnchanged() {
    Book cached = b.find(EFFECTIVE_JAVA);
    catalog.setAvailable(false);
    assertThrows(CatalogUnavailableException.class,
        () -> a.save(EFFECTIVE_JAVA, new Book(EFFECTIVE_JAVA, "never stored", BigDecimal.ONE)));
    catalog.setAvailable(true);
    assertEquals(cached, b.find(EFFECTIVE_JAVA));
    assertEquals(1, catalog.calls("load", EFFECTIVE_JAVA));
  }

  @Test
  void cacheRemove_evictsTheEntryForTheOtherContext() {
    assertEquals(EFFECTIVE_JAVA, a.find(EFFECTIVE_JAVA).isbn());
    b.discard(EFFECTIVE_JAVA);
    assertNull(a.find(EFFECTIVE_JAVA), "evicted, so loaded again: the catalog no longer has it");
    assertEquals(2, catalog.calls("load", EFFECTIVE_JAVA));
  }

  /**
   * JSR-107 says that with empty {@code evictFor} and {@code noEvictFor} every exception prevents the remove;
   * Spring's interceptor removes anyway (its exception filter matches everything when both lists are empty).
   * Harmless for a remove, and pinned here so the docs stay true; {@code save} shows the explicit list.
   */
  @Test
  void cacheRemove_methodThrows_springStillEvicts() {
    a.find(EFFECTIVE_JAVA);
    catalog.setAvailable(false);
    assertThrows(CatalogUnavailableException.class, () -> b.discard(EFFECTIVE_JAVA));
    catalog.setAvailable(true);
    assertEquals(EFFECTIVE_JAVA, a.find(EFFECTIVE_JAVA).isbn(), "loaded again: the book was not deleted");
    assertEquals(2, catalog.calls("load", EFFECTIVE_JAVA));
  }

  /**
   * With no exception lists JSR-107 wants a failing method to leave the cache alone; Spring's interceptors put and
   * remove all anyway. Pinned so that the docs, which advise naming the exceptions, stay true.
   */
  @Test
  void cachePutAndRemoveAll_withoutExceptionLists_methodThrows_springStillActs() {
    FailingWrites failing = serverA.getBean(FailingWrites.class);
    b.find(EFFECTIVE_JAVA);
    Book unsaved = new Book(EFFECTIVE_JAVA, "never stored", BigDecimal.ONE);
    assertThrows(CatalogUnavailableException.class, () -> failing.save(EFFECTIVE_JAVA, unsaved));
    assertEquals(unsaved, b.find(EFFECTIVE_JAVA), "put although the method threw");
    assertThrows(CatalogUnavailableException.class, failing::discardAll);
    assertEquals("Effective Java", b.find(EFFECTIVE_JAVA).title(), "emptied although the method threw");
    assertEquals(2, catalog.calls("load", EFFECTIVE_JAVA));
  }

  @Test
  void cacheRemoveAll_emptiesTheNamedCacheOnly() {
    for (String isbn : ISBNS) {
      a.find(isbn);
    }
    BigDecimal price = a.price(EFFECTIVE_JAVA);
    b.discardAll();
    for (String isbn : ISBNS) {
      assertEquals(isbn, a.find(isbn).isbn());
      assertEquals(2, catalog.calls("load", isbn), "loads of " + isbn + " after removeAll");
    }
    assertEquals(price, b.price(EFFECTIVE_JAVA));
    assertEquals(1, catalog.calls("price", EFFECTIVE_JAVA), "\"prices\" is another cache, not emptied");
  }

  @Test
  void exceptionCache_cachedException_isRethrownByTheOtherContextWithoutACall() {
    NoSuchBookException first = assertThrows(NoSuchBookException.class, () -> a.price("000-0000000000"));
    NoSuchBookException second = assertThrows(NoSuchBookException.class, () -> b.price("000-0000000000"));
    assertEquals(first.getMessage(), second.getMessage());
    assertThrows(NoSuchBookException.class, () -> a.price("000-0000000000"));
    assertEquals(1, catalog.calls("price", "000-0000000000"));
  }

  @Test
  void exceptionCache_nonCachedSubclass_isNotCached() {
    catalog.setAvailable(false);
    assertThrows(CatalogUnavailableException.class, () -> a.price(EFFECTIVE_JAVA));
    assertThrows(CatalogUnavailableException.class, () -> b.price(EFFECTIVE_JAVA));
    assertEquals(2, catalog.calls("price", EFFECTIVE_JAVA));
    catalog.setAvailable(true);
    assertEquals(new BigDecimal("45.99"), b.price(EFFECTIVE_JAVA));
    assertEquals(new BigDecimal("45.99"), a.price(EFFECTIVE_JAVA));
    assertEquals(3, catalog.calls("price", EFFECTIVE_JAVA));
  }

  @Test
  void exceptionCache_exceptionOutsideCachedExceptions_isNotCached() {
    assertThrows(IllegalArgumentException.class, () -> a.price(" "));
    assertThrows(IllegalArgumentException.class, () -> b.price(" "));
    assertEquals(2, catalog.calls("price", " "));
  }

  /** Writes annotated without exception lists that always fail. */
  @CacheDefaults(cacheName = "books")
  static class FailingWrites {

    @CachePut
    public void save(@CacheKey String isbn, @CacheValue Book book) {
      throw new CatalogUnavailableException();
    }

    @CacheRemoveAll
    public void discardAll() {
      throw new CatalogUnavailableException();
    }
  }
}
