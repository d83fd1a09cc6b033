package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import javax.cache.Cache;
import javax.cache.Caching;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import org.junit.jupiter.api.Test;

/** The sample of docs/cdi.md, run. */
class QuickStartTest extends ContainerTest {

  QuickStartTest() {
    super(ProductCatalog.class, Warehouse.class);
  }

  @Test
  void catalog_cachesReadsAndKeepsTheCacheCurrent() {
    Containers.clear("products");
    ProductCatalog catalog = bean(ProductCatalog.class);
    Warehouse warehouse = bean(Warehouse.class);
    assertEquals("Product 1 (en)", catalog.find("sku-1", Locale.ENGLISH).name());
    assertEquals("Product 1 (en)", catalog.find("sku-1", Locale.GERMAN).name(), "only the sku makes the key");
    assertEquals(1, warehouse.runs("load"));

    catalog.save("sku-1", new Product("sku-1", "Renamed", 500));
    assertEquals("Renamed", catalog.find("sku-1", Locale.ENGLISH).name());
    // readme:cdi-read-through-jcache
    Cache<Object, Object> products = Caching.getCachingProvider().getCacheManager().getCache("products");
    Product cached = (Product) products.get(ParametersKey.of("sku-1"));
    // end:cdi-read-through-jcache
    assertEquals(500, cached.cents());

    catalog.delete("sku-1");
    assertNull(products.get(ParametersKey.of("sku-1")));
    catalog.find("sku-2", Locale.ENGLISH);
    catalog.reload();
    assertNull(products.get(ParametersKey.of("sku-2")));
    assertEquals(2, warehouse.runs("load"), "sku-1 and sku-2 loaded once each; save, delete and reload never load");
  }

  /** A value: any class Kryo can copy; no Serializable needed with Slotcache. */
  public record Product(String sku, String name, long cents) {
  }

  // readme:cdi-catalog
  @ApplicationScoped
  @CacheDefaults(cacheName = "products")
  public static class ProductCatalog {
    @Inject
    Warehouse warehouse;

    @CacheResult                           // a value cached by any server on the cluster skips the method
    public Product find(@CacheKey String sku, Locale locale) {
      return warehouse.load(sku, locale);
    }

    @CachePut                              // after the method returns: products[sku] = product
    public void save(@CacheKey String sku, @CacheValue Product product) {
      warehouse.store(product);
    }

    @CacheRemove                           // after the method returns: remove products[sku]
    public void delete(String sku) {
      warehouse.delete(sku);
    }

    @CacheRemoveAll                        // after the method returns: empty products
    public void reload() {
    }
  }
  // end:cdi-catalog

  /** Where products come from; counts the loads. */
  @ApplicationScoped
  public static class Warehouse extends CountedRuns {
    Product load(String sku, Locale locale) {
      ran("load");
      return new Product(sku, "Product " + sku.substring(4) + " (" + locale.getLanguage() + ")", 1999);
    }

    void store(Product product) {
    }

    void delete(String sku) {
    }
  }
}
