package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import javax.cache.annotation.GeneratedCacheKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code @CacheDefaults} and cache annotations on the class. */
class CacheDefaultsTest extends ContainerTest {

  CacheDefaultsTest() {
    super(Accounts.class, Rates.class);
  }

  @BeforeEach
  void reset() {
    Containers.clear("cdi-defaults-accounts", "cdi-defaults-audit", "cdi-defaults-rates", "cdi-defaults-other");
    bean(Accounts.class).reset();
    bean(Rates.class).reset();
  }

  @Test
  void defaultCacheName_servesEveryAnnotation_andAMethodsOwnNameWins() {
    Accounts accounts = bean(Accounts.class);
    accounts.update("Alice", "v1");
    assertEquals("v1", accounts.find("ALICE"), "put and result share the default cache and the key generator");
    assertEquals(0, accounts.runs());
    accounts.remove("alice");
    assertEquals("found alice", accounts.find("Alice"));
    assertEquals(1, accounts.runs());
    accounts.audit("Alice");
    assertEquals("audited alice", Containers.cache("cdi-defaults-audit").get(ParametersKey.of("alice")));
    accounts.clear();
    assertFalse(Containers.cache("cdi-defaults-accounts").containsKey(ParametersKey.of("alice")));
  }

  @Test
  void methodKeyGenerator_winsOverTheDefaults() {
    Accounts accounts = bean(Accounts.class);
    accounts.exact("Bob");
    accounts.exact("BOB");
    assertEquals(2, accounts.runs(), "the method's key generator distinguishes the case");
    assertEquals("BOB", Containers.cache("cdi-defaults-audit").get(ParametersKey.of("exact", "BOB")));
  }

  @Test
  void classLevelAnnotation_appliesToEveryMethod_andAMethodAnnotationWins() {
    Rates rates = bean(Rates.class);
    assertEquals(1.5, rates.rate("EUR"));
    assertEquals(1.5, rates.rate("EUR"));
    assertEquals(2.5, rates.fee("EUR"));
    assertEquals(2.5, rates.fee("EUR"));
    assertEquals(2, rates.runs());
    assertEquals(1.5, Containers.cache("cdi-defaults-rates").get(ParametersKey.of("EUR")),
        "class-level @CacheResult(cacheName) names the cache of rate(String)");
    rates.forget("EUR");
    assertNull(Containers.cache("cdi-defaults-other").get(ParametersKey.of("EUR")),
        "the method's own @CacheRemove replaces the class-level @CacheResult");
  }

  /** Keys of lower-cased string parameters. */
  public static class CaseInsensitiveKeys implements CacheKeyGenerator {
    @Override
    public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
      return ParametersKey.of(context.getKeyParameters()[0].getValue().toString().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** Keys of the parameter values as they are, tagged. */
  public static class ExactKeys implements CacheKeyGenerator {
    @Override
    public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
      return ParametersKey.of("exact", context.getKeyParameters()[0].getValue());
    }
  }

  /** Every annotation takes the class's cache name and key generator. */
  @ApplicationScoped
  @CacheDefaults(cacheName = "cdi-defaults-accounts", cacheKeyGenerator = CaseInsensitiveKeys.class)
  public static class Accounts extends CountedRuns {

    @CacheResult
    public String find(String name) {
      ran("find");
      return "found " + name.toLowerCase(java.util.Locale.ROOT);
    }

    @CacheResult(cacheName = "cdi-defaults-audit", cacheKeyGenerator = ExactKeys.class)
    public String exact(String name) {
      ran("exact");
      return name;
    }

    @CachePut
    public void update(String name, @CacheValue String value) {
    }

    @CacheRemove
    public void remove(String name) {
    }

    @CacheRemoveAll
    public void clear() {
    }

    @CacheResult(cacheName = "cdi-defaults-audit")
    public String audit(String name) {
      return "audited " + name.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A cache annotation on the class applies to every method without one. */
  @ApplicationScoped
  @CacheResult(cacheName = "cdi-defaults-rates")
  public static class Rates extends CountedRuns {

    public Double rate(String currency) {
      ran("rate");
      return 1.5;
    }

    @CacheResult(cacheName = "cdi-defaults-other")
    public Double fee(String currency) {
      ran("fee");
      return 2.5;
    }

    @CacheRemove(cacheName = "cdi-defaults-other")
    public void forget(String currency) {
    }
  }
}
