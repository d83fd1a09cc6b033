package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import javax.cache.Cache;
import javax.cache.annotation.CacheResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@code @CacheResult(exceptionCacheName = …)} with {@code cachedExceptions} / {@code nonCachedExceptions}. */
class ExceptionCachingTest extends ContainerTest {

  private static final String VALUES = "cdi-ex-values";
  private static final String ERRORS = "cdi-ex-errors";

  private Directory directory;

  ExceptionCachingTest() {
    super(Directory.class);
  }

  @BeforeEach
  void reset() {
    directory = bean(Directory.class);
    Containers.clear(VALUES, ERRORS);
    directory.reset();
  }

  @Test
  void everyException_isCachedAndRethrown_whenNoListIsGiven() {
    NotFound first = assertThrows(NotFound.class, () -> directory.any("missing"));
    NotFound second = assertThrows(NotFound.class, () -> directory.any("missing"));
    assertEquals(1, directory.runs(), "the second call rethrows the cached exception");
    assertNotSame(first, second);
    assertEquals("no missing", second.getMessage());
    assertInstanceOf(NotFound.class, Containers.cache(ERRORS).get(ParametersKey.of("missing")));
    assertThrows(Timeout.class, () -> directory.any("slow"));
    assertThrows(Timeout.class, () -> directory.any("slow"));
    assertEquals(2, directory.runs());
  }

  @Test
  void checkedException_isRethrownAsDeclared() {
    Unavailable thrown = assertThrows(Unavailable.class, () -> directory.checked("k"));
    assertEquals("k is unavailable", thrown.getMessage());
    assertThrows(Unavailable.class, () -> directory.checked("k"));
    assertEquals(1, directory.runs());
  }

  /**
   * Whether an exception is cached — a second call rethrows it without running the method — by the rules of
   * {@code cachedExceptions} and {@code nonCachedExceptions}.
   */
  @TestFactory
  List<DynamicTest> exceptionRules_decideWhatIsCached() {
    return List.of(
        caches(true, "cachedExceptions: an exception it names", NotFound.class, "missing", directory::onlyNotFound),
        caches(false, "cachedExceptions: an exception it does not name", Timeout.class, "slow",
            directory::onlyNotFound),
        caches(false, "nonCachedExceptions: an exception it names", Timeout.class, "slow", directory::exceptTimeout),
        caches(true, "nonCachedExceptions: an exception it does not name", NotFound.class, "missing",
            directory::exceptTimeout),
        caches(false, "both: an included exception that is excluded too (Timeout is a RuntimeException)",
            Timeout.class, "slow", directory::runtimeButNotTimeout),
        caches(true, "both: an included exception that is not excluded", NotFound.class, "missing",
            directory::runtimeButNotTimeout),
        caches(false, "both: an exception not included (a checked exception is not a RuntimeException)",
            Unavailable.class, "checked", directory::runtimeButNotTimeout));
  }

  @Test
  void skipGet_skipsTheCachedExceptionToo_andCachesTheNextOne() throws Exception {
    assertThrows(NotFound.class, () -> directory.any("missing"));
    assertThrows(NotFound.class, () -> directory.fresh("missing"));
    assertThrows(NotFound.class, () -> directory.fresh("missing"));
    assertEquals(3, directory.runs(), "skipGet runs the method although an exception is cached");
    directory.fresh("present");
    directory.fresh("present");
    assertEquals(5, directory.runs());
    assertEquals("value of present", Containers.cache(VALUES).get(ParametersKey.of("present")));
  }

  @Test
  void cachedValue_isReturnedBeforeTheExceptionCacheIsAsked() throws Exception {
    Cache<Object, Object> errors = directory.touchCaches();
    errors.put(ParametersKey.of("both"), new NotFound("stale"));
    Containers.cache(VALUES).put(ParametersKey.of("both"), "cached value");
    assertEquals("cached value", directory.any("both"));
    assertEquals(0, directory.runs());
    assertTrue(errors.containsKey(ParametersKey.of("both")));
  }

  /** A call of a {@link Directory} method with a key. */
  @FunctionalInterface
  private interface Lookup {
    String call(String key) throws Unavailable;
  }

  /**
   * A case: two calls for {@code key} both throw {@code type}; the method ran once (the second call rethrew the
   * cached exception) and the exception cache holds the key exactly when {@code cached}.
   */
  private DynamicTest caches(boolean cached, String rule, Class<? extends Exception> type, String key,
      Lookup lookup) {
    return DynamicTest.dynamicTest(rule, () -> {
      reset();
      assertThrows(type, () -> lookup.call(key));
      assertThrows(type, () -> lookup.call(key));
      assertEquals(cached ? 1 : 2, directory.runs());
      assertEquals(cached, Containers.cache(ERRORS).containsKey(ParametersKey.of(key)));
    });
  }

  /** Thrown for keys starting with "missing". */
  public static class NotFound extends RuntimeException {
    public NotFound(String message) {
      super(message);
    }
  }

  /** Thrown for keys starting with "slow". */
  public static class Timeout extends RuntimeException {
    public Timeout(String message) {
      super(message);
    }
  }

  /** A checked exception, thrown for keys starting with "checked". */
  public static class Unavailable extends Exception {
    public Unavailable(String message) {
      super(message);
    }
  }

  /** Fails by key prefix and counts its executions. */
  @ApplicationScoped
  public static class Directory extends CountedRuns {

    @CacheResult(cacheName = VALUES, exceptionCacheName = ERRORS)
    public String any(String key) throws Unavailable {
      return lookup(key);
    }

    @CacheResult(cacheName = VALUES, exceptionCacheName = ERRORS)
    public String checked(String key) throws Unavailable {
      ran("checked");
      throw new Unavailable(key + " is unavailable");
    }

    @CacheResult(cacheName = VALUES, exceptionCacheName = ERRORS, cachedExceptions = NotFound.class)
    public String onlyNotFound(String key) throws Unavailable {
      return lookup(key);
    }

    @CacheResult(cacheName = VALUES, exceptionCacheName = ERRORS, nonCachedExceptions = Timeout.class)
    public String exceptTimeout(String key) throws Unavailable {
      return lookup(key);
    }

    @CacheResult(cacheName = VALUES, exceptionCacheName = ERRORS, cachedExceptions = RuntimeException.class,
        nonCachedExceptions = Timeout.class)
    public String runtimeButNotTimeout(String key) throws Unavailable {
      return lookup(key);
    }

    @CacheResult(cacheName = VALUES, exceptionCacheName = ERRORS, skipGet = true)
    public String fresh(String key) throws Unavailable {
      return lookup(key);
    }

    /** Makes sure both caches exist (through a call) and returns the exception cache. */
    Cache<Object, Object> touchCaches() throws Unavailable {
      any("warm-up");
      reset();
      return Containers.cache(ERRORS);
    }

    private String lookup(String key) throws Unavailable {
      ran("lookup");
      if (key.startsWith("missing")) {
        throw new NotFound("no " + key);
      } else if (key.startsWith("slow")) {
        throw new Timeout(key + " timed out");
      } else if (key.startsWith("checked")) {
        throw new Unavailable(key + " is unavailable");
      }
      return "value of " + key;
    }
  }
}
