package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@code @CachePut}: the {@code @CacheValue} argument, before or after the call, and the exception rules. */
class CachePutTest extends ContainerTest {

  private static final String PROFILES = "cdi-put-profiles";

  private Profiles profiles;

  CachePutTest() {
    super(Profiles.class);
  }

  @BeforeEach
  void reset() {
    profiles = bean(Profiles.class);
    Containers.clear(PROFILES);
    profiles.forget();
  }

  @Test
  void value_isPutAfterTheCall_underTheKeyOfTheOtherParameters() {
    profiles.save("alice", 3, "likes tea");
    assertEquals("absent", profiles.seen(), "during the call the value was not cached yet");
    assertEquals("likes tea", cache().get(ParametersKey.of("alice", 3)));
    profiles.save("alice", 3, "likes coffee");
    assertEquals("likes coffee", cache().get(ParametersKey.of("alice", 3)));
  }

  @Test
  void cacheKeyParameters_aloneMakeTheKey() {
    profiles.saveFailing("bob", "quiet", null);
    assertEquals("quiet", cache().get(ParametersKey.of("bob")));
  }

  /** Whether a call that throws still puts: the rules of {@code cacheFor} and {@code noCacheFor}. */
  @TestFactory
  List<DynamicTest> exceptionRules_decideWhetherAFailedCallPuts() {
    return ExceptionRules.cases("puts", "cacheFor", "noCacheFor", this::puts,
        e -> profiles.saveFailing("k", "v", e), e -> profiles.putOnState("k", "v", e),
        e -> profiles.putUnlessArgument("k", "v", e), e -> profiles.putOnRuntimeButNotArgument("k", "v", e));
  }

  @Test
  void beforeInvocation_putsBeforeTheCall_evenWhenItThrows() {
    profiles.saveFirst("gina", "early", null);
    assertEquals("early", profiles.seen(), "during the call the value was cached already");
    assertThrows(IllegalStateException.class, () -> profiles.saveFirst("gina", "again", new IllegalStateException()));
    assertEquals("again", cache().get(ParametersKey.of("gina")));
  }

  @Test
  void nullValue_removesTheEntry() {
    profiles.save("hank", 1, "something");
    profiles.save("hank", 1, null);
    assertFalse(cache().containsKey(ParametersKey.of("hank", 1)));
    assertNull(profiles.seenValueOf("hank"));
  }

  /** A case: after {@code call} throws {@code thrown}, key {@code k} holds {@code v} exactly when {@code put}. */
  private DynamicTest puts(boolean put, String rule, RuntimeException thrown, Consumer<RuntimeException> call) {
    return DynamicTest.dynamicTest(rule, () -> {
      reset();
      assertThrows(thrown.getClass(), () -> call.accept(thrown));
      assertEquals(put ? "v" : null, cache().get(ParametersKey.of("k")));
    });
  }

  private static Cache<Object, Object> cache() {
    return Containers.cache(PROFILES);
  }

  /** Notes what the cache held for the key while it ran. */
  @ApplicationScoped
  public static class Profiles extends DuringCall<String> {

    @CachePut(cacheName = PROFILES)
    public void save(String name, int version, @CacheValue String profile) {
      look(ParametersKey.of(name, version));
    }

    @CachePut(cacheName = PROFILES)
    public void saveFailing(@CacheKey String name, @CacheValue String profile, RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CachePut(cacheName = PROFILES, cacheFor = IllegalStateException.class)
    public void putOnState(@CacheKey String name, @CacheValue String profile, RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CachePut(cacheName = PROFILES, noCacheFor = IllegalArgumentException.class)
    public void putUnlessArgument(@CacheKey String name, @CacheValue String profile, RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CachePut(cacheName = PROFILES, cacheFor = RuntimeException.class, noCacheFor = IllegalArgumentException.class)
    public void putOnRuntimeButNotArgument(@CacheKey String name, @CacheValue String profile,
        RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CachePut(cacheName = PROFILES, afterInvocation = false)
    public void saveFirst(@CacheKey String name, @CacheValue String profile, RuntimeException failure) {
      look(ParametersKey.of(name));
      Containers.throwIfGiven(failure);
    }

    String seenValueOf(String name) {
      Object value = Containers.cache(PROFILES).get(ParametersKey.of(name));
      return value == null ? null : value.toString();
    }

    private void look(ParametersKey key) {
      Cache<Object, Object> cache = Containers.cache(PROFILES);
      Object value = cache == null ? null : cache.get(key);
      see(value == null ? "absent" : value.toString());
    }

  }
}
