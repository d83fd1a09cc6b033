package dev.slotcache.spring;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The slow system of record behind the cached service (a database in a real application). It counts how often it
 * is asked, per operation and ISBN, so that tests can see which calls the caches answered. Thread-safe.
 */
public class Catalog {

  private final Map<String, Book> books = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private volatile boolean available = true;

  /** A catalog holding three books. */
  public static Catalog withSampleBooks() {
    Catalog catalog = new Catalog();
    catalog.books.put("978-0134685991", new Book("978-0134685991", "Effective Java", new BigDecimal("45.99")));
    catalog.books.put("978-1617294945", new Book("978-1617294945", "Spring in Action", new BigDecimal("49.99")));
    catalog.books.put("978-0596009205", new Book("978-0596009205", "Head First Java", new BigDecimal("39.95")));
    return catalog;
  }

  /** The book, or null when the catalog has none with this ISBN. */
  public Book load(String isbn) {
    count("load", isbn);
    requireAvailable();
    return books.get(isbn);
  }

  /** The price of a book; fails with {@link NoSuchBookException} when there is no such book. */
  public BigDecimal price(String isbn) {
    count("price", isbn);
    if (isbn.isBlank()) {
      throw new IllegalArgumentException("an ISBN must not be blank");
    }
    requireAvailable();
    Book book = books.get(isbn);
    if (book == null) {
      throw new NoSuchBookException(isbn);
    }
    return book.price();
  }

  public void store(Book book) {
    count("store", book.isbn());
    requireAvailable();
    books.put(book.isbn(), book);
  }

  public void delete(String isbn) {
    count("delete", isbn);
    requireAvailable();
    books.remove(isbn);
  }

  /** Makes every following call fail with {@link CatalogUnavailableException} (false) or work again (true). */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  /** How often {@code operation} ("load", "price", "store", "delete") was called for this ISBN. */
  public int calls(String operation, String isbn) {
    AtomicInteger count = calls.get(operation + ":" + isbn);
    return count == null ? 0 : count.get();
  }

  private void count(String operation, String isbn) {
    calls.computeIfAbsent(operation + ":" + isbn, k -> new AtomicInteger()).incrementAndGet();
  }

  private void requireAvailable() {
    if (!available) {
      throw new CatalogUnavailableException();
    }
  }
}
