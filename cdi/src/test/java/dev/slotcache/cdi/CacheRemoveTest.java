package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheRemove;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@code @CacheRemove}: the call's key, before or after the call, and the exception rules. */
class CacheRemoveTest extends ContainerTest {

  private static final String ORDERS = "cdi-remove-orders";

  private Orders orders;

  CacheRemoveTest() {
    super(Orders.class);
  }

  @BeforeEach
  void fill() {
    orders = bean(Orders.class);
    orders.cancel("warm-up", null); // lets the interceptor create the cache
    for (String id : new String[] {"a", "b", "c"}) {
      cache().put(ParametersKey.of(id), "order " + id);
    }
    orders.forget();
  }

  @Test
  void key_isRemovedAfterTheCall_andOtherKeysStay() {
    orders.cancel("a", null);
    assertEquals(Boolean.TRUE, orders.seen(), "during the call the entry was still cached");
    assertFalse(cache().containsKey(ParametersKey.of("a")));
    assertTrue(cache().containsKey(ParametersKey.of("b")));
  }

  /** Whether a call that throws still removes: the rules of {@code evictFor} and {@code noEvictFor}. */
  @TestFactory
  List<DynamicTest> exceptionRules_decideWhetherAFailedCallRemoves() {
    return ExceptionRules.cases("removes", "evictFor", "noEvictFor", this::removes,
        e -> orders.cancel("a", e), e -> orders.cancelOnState("a", e), e -> orders.cancelUnlessArgument("a", e),
        e -> orders.cancelOnRuntimeButNotArgument("a", e));
  }

  @Test
  void beforeInvocation_removesBeforeTheCall_evenWhenItThrows() {
    orders.cancelFirst("a", null);
    assertEquals(Boolean.FALSE, orders.seen(), "during the call the entry was gone already");
    assertThrows(IllegalStateException.class, () -> orders.cancelFirst("b", new IllegalStateException()));
    assertFalse(cache().containsKey(ParametersKey.of("b")));
    assertTrue(cache().containsKey(ParametersKey.of("c")));
  }

  /** A case: after {@code call} throws {@code thrown}, entry {@code a} is gone exactly when {@code removed}. */
  private DynamicTest removes(boolean removed, String rule, RuntimeException thrown, Consumer<RuntimeException> call) {
    return DynamicTest.dynamicTest(rule, () -> {
      fill();
      assertThrows(thrown.getClass(), () -> call.accept(thrown));
      assertEquals(!removed, cache().containsKey(ParametersKey.of("a")));
    });
  }

  private static Cache<Object, Object> cache() {
    return Containers.cache(ORDERS);
  }

  /** Notes whether the entry was cached while it ran. */
  @ApplicationScoped
  public static class Orders extends DuringCall<Boolean> {

    @CacheRemove(cacheName = ORDERS)
    public void cancel(@CacheKey String id, RuntimeException failure) {
      look(id);
      Containers.throwIfGiven(failure);
    }

    @CacheRemove(cacheName = ORDERS, evictFor = IllegalStateException.class)
    public void cancelOnState(@CacheKey String id, RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CacheRemove(cacheName = ORDERS, noEvictFor = IllegalArgumentException.class)
    public void cancelUnlessArgument(@CacheKey String id, RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CacheRemove(cacheName = ORDERS, evictFor = RuntimeException.class, noEvictFor = IllegalArgumentException.class)
    public void cancelOnRuntimeButNotArgument(@CacheKey String id, RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CacheRemove(cacheName = ORDERS, afterInvocation = false)
    public void cancelFirst(@CacheKey String id, RuntimeException failure) {
      look(id);
      Containers.throwIfGiven(failure);
    }

    private void look(String id) {
      Cache<Object, Object> cache = Containers.cache(ORDERS);
      see(cache != null && cache.containsKey(ParametersKey.of(id)));
    }

  }
}
