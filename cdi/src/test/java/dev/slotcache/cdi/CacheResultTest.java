package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.enterprise.context.ApplicationScoped;
import javax.cache.Cache;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code @CacheResult} without exception caching: default names, keys, skipGet, null results. */
class CacheResultTest extends ContainerTest {

  private static final String DESCRIBE = "dev.slotcache.cdi.CacheResultTest$Catalog.describe(java.lang.String)";

  private Catalog catalog;

  CacheResultTest() {
    super(Catalog.class);
  }

  @BeforeEach
  void reset() {
    catalog = bean(Catalog.class);
    Containers.clear(DESCRIBE, "cdi-result-prices", "cdi-result-lookups");
    catalog.reset();
  }

  @Test
  void result_isCachedUnderTheDefaultName_andTheMethodRunsOncePerKey() {
    assertEquals("item a1", catalog.describe("a1"));
    assertEquals("item a1", catalog.describe("a1"));
    assertEquals("item b2", catalog.describe("b2"));
    assertEquals(2, catalog.runs("describe"));
    Cache<Object, Object> cache = Containers.cache(DESCRIBE);
    assertNotNull(cache, "the default cache name is package.Class.method(parameter types)");
    assertEquals("item a1", cache.get(ParametersKey.of("a1")));
    assertEquals("item b2", cache.get(ParametersKey.of("b2")));
  }

  @Test
  void cachedValue_isReturnedWithoutRunningTheMethod() {
    catalog.describe("warm");
    Containers.cache(DESCRIBE).put(ParametersKey.of("c3"), "put by hand");
    assertEquals("put by hand", catalog.describe("c3"));
    assertEquals(1, catalog.runs("describe"));
  }

  @Test
  void cacheKeyParameters_aloneMakeTheKey() {
    assertEquals(100, catalog.price("eu", "sku-1", 1));
    assertEquals(100, catalog.price("us", "sku-1", 2));
    assertEquals(1, catalog.runs("price"));
    assertEquals(100, Containers.cache("cdi-result-prices").get(ParametersKey.of("sku-1")));
  }

  @Test
  void nullResult_isNotCached() {
    assertNull(catalog.lookup("missing"));
    assertNull(catalog.lookup("missing"));
    assertEquals(2, catalog.runs("lookup"));
    assertEquals(false, Containers.cache("cdi-result-lookups").containsKey(ParametersKey.of("missing")));
  }

  @Test
  void skipGet_alwaysRunsTheMethod_andCachesTheNewResult() {
    assertEquals("fresh 1", catalog.refresh("k"));
    assertEquals("fresh 2", catalog.refresh("k"));
    assertEquals(2, catalog.runs("refresh"));
    assertEquals("fresh 2", Containers.cache("cdi-result-lookups").get(ParametersKey.of("k")));
  }

  /** Counts its executions. */
  @ApplicationScoped
  public static class Catalog extends CountedRuns {

    @CacheResult
    public String describe(String sku) {
      ran("describe");
      return "item " + sku;
    }

    @CacheResult(cacheName = "cdi-result-prices")
    public Integer price(String region, @CacheKey String sku, int quantity) {
      ran("price");
      return 100;
    }

    @CacheResult(cacheName = "cdi-result-lookups")
    public String lookup(String name) {
      ran("lookup");
      return null;
    }

    @CacheResult(cacheName = "cdi-result-lookups", skipGet = true)
    public String refresh(String name) {
      return "fresh " + ran("refresh");
    }
  }
}
