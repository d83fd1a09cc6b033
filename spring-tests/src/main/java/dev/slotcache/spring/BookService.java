package dev.slotcache.spring;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;

/**
 * A service cached with the JSR-107 annotations only; Spring's JCache interceptors apply them, Slotcache holds
 * the caches. Nothing here knows Spring or Slotcache.
 */
// readme:service
@CacheDefaults(cacheName = "books")
public class BookService {

  private final Catalog catalog;

  public BookService(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog");
  }

  /** Cached under the ISBN in "books"; a null result (no such book) is cached too. */
  @CacheResult
  public Book find(@CacheKey String isbn) {
    return catalog.load(isbn);
  }

  /**
   * Stores the book, then caches it under the ISBN. {@code noCacheFor} spells out the JSR-107 default "no put
   * when the method throws", which Spring applies only when an exception list is given.
   */
  @CachePut(noCacheFor = Exception.class)
  public void save(@CacheKey String isbn, @CacheValue Book book) {
    catalog.store(book);
  }

  /** Deletes the book, then evicts its entry; under Spring also when delete fails (no exception list given). */
  @CacheRemove
  public void discard(@CacheKey String isbn) {
    catalog.delete(isbn);
  }

  /** Empties "books" after the call. */
  @CacheRemoveAll
  public void discardAll() {
  }

  /**
   * Cached in "prices". A {@link CatalogException} is cached in "price-failures" and rethrown without a call
   * until it expires there, except the passing {@link CatalogUnavailableException}; other exceptions are not
   * cached.
   */
  @CacheResult(cacheName = "prices", exceptionCacheName = "price-failures",
      cachedExceptions = CatalogException.class, nonCachedExceptions = CatalogUnavailableException.class)
  public BigDecimal price(@CacheKey String isbn) {
    return catalog.price(isbn);
  }
}
// end:service
