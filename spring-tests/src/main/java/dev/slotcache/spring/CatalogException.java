package dev.slotcache.spring;

/** A failure of the catalog; the subclasses tell which kind. */
public class CatalogException extends RuntimeException {

  public CatalogException(String message) {
    super(message);
  }
}
