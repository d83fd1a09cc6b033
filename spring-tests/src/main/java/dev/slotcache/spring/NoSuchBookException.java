package dev.slotcache.spring;

/** The catalog has no such book: a lasting answer, worth caching. */
public class NoSuchBookException extends CatalogException {

  public NoSuchBookException(String isbn) {
    super("no book with ISBN " + isbn);
  }
}
