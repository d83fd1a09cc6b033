package dev.slotcache.spring;

/** The catalog cannot answer now: a passing failure, never cached. */
public class CatalogUnavailableException extends CatalogException {

  public CatalogUnavailableException() {
    super("the catalog is unavailable");
  }
}
