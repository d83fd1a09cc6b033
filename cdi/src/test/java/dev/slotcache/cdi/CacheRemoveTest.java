package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import javax.cache.Cache;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheRemove;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

  @Test
  void exception_preventsTheRemoval_whenNoListIsGiven() {
    assertThrows(IllegalStateException.class, () -> orders.cancel("a", new IllegalStateException()));
    assertTrue(cache().containsKey(ParametersKey.of("a")));
  }

  @Test
  void evictFor_selectsExceptionsThatStillRemove() {
    assertThrows(IllegalArgumentException.class, () -> orders.cancelOnState("a", new IllegalArgumentException()));
    assertTrue(cache().containsKey(ParametersKey.of("a")));
    assertThrows(IllegalStateException.class, () -> orders.cancelOnState("a", new IllegalStateException()));
    assertFalse(cache().containsKey(ParametersKey.of("a")));
  }

  @Test
  void noEvictFor_excludesExceptionsThatPreventTheRemoval() {
    assertThrows(IllegalArgumentException.class,
        () -> orders.cancelUnlessArgument("b", new IllegalArgumentException()));
    assertTrue(cache().containsKey(ParametersKey.of("b")));
    assertThrows(IllegalStateException.class, () -> orders.cancelUnlessArgument("b", new IllegalStateException()));
    assertFalse(cache().containsKey(ParametersKey.of("b")));
  }

  @Test
  void bothLists_removeForIncludedExceptionsThatAreNotExcluded() {
    assertThrows(NumberFormatException.class,
        () -> orders.cancelOnRuntimeButNotArgument("c", new NumberFormatException()));
    assertTrue(cache().containsKey(ParametersKey.of("c")));
    assertThrows(IllegalStateException.class,
        () -> orders.cancelOnRuntimeButNotArgument("c", new IllegalStateException()));
    assertFalse(cache().containsKey(ParametersKey.of("c")));
  }

  @Test
  void beforeInvocation_removesBeforeTheCall_evenWhenItThrows() {
    orders.cancelFirst("a", null);
    assertEquals(Boolean.FALSE, orders.seen(), "during the call the entry was gone already");
    assertThrows(IllegalStateException.class, () -> orders.cancelFirst("b", new IllegalStateException()));
    assertFalse(cache().containsKey(ParametersKey.of("b")));
    assertTrue(cache().containsKey(ParametersKey.of("c")));
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
