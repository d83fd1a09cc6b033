package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.annotation.CacheRemoveAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** {@code @CacheRemoveAll}: the whole cache, before or after the call, and the exception rules. */
class CacheRemoveAllTest extends ContainerTest {

  private static final String PRICES = "cdi-remove-all-prices";
  private static final String OTHER = "cdi-remove-all-other";

  private PriceList prices;

  CacheRemoveAllTest() {
    super(PriceList.class);
  }

  @BeforeEach
  void fill() {
    prices = bean(PriceList.class);
    prices.reload(null); // lets the interceptors create the caches
    prices.reloadOther();
    for (int i = 0; i < 20; i++) {
      cache(PRICES).put(ParametersKey.of("sku-" + i), i);
      cache(OTHER).put(ParametersKey.of("sku-" + i), i);
    }
    prices.forget();
  }

  @Test
  void everyEntry_isRemovedAfterTheCall_andOtherCachesStay() {
    prices.reload(null);
    assertEquals(20, prices.seen(), "during the call the entries were still cached");
    assertEquals(0, size(cache(PRICES)));
    assertEquals(20, size(cache(OTHER)));
  }

  /** Whether a call that throws still empties the cache: the rules of {@code evictFor} and {@code noEvictFor}. */
  @TestFactory
  List<DynamicTest> exceptionRules_decideWhetherAFailedCallRemovesAll() {
    return ExceptionRules.cases("removes", "evictFor", "noEvictFor", this::removesAll,
        e -> prices.reload(e), e -> prices.reloadOnState(e), e -> prices.reloadUnlessArgument(e),
        e -> prices.reloadOnRuntimeButNotArgument(e));
  }

  @Test
  void beforeInvocation_removesBeforeTheCall_evenWhenItThrows() {
    prices.reloadFirst(null);
    assertEquals(0, prices.seen(), "during the call the cache was empty already");
    cache(PRICES).put(ParametersKey.of("late"), 1);
    assertThrows(IllegalStateException.class, () -> prices.reloadFirst(new IllegalStateException()));
    assertEquals(0, size(cache(PRICES)));
  }

  /** A case: after {@code call} throws {@code thrown}, the cache is empty exactly when {@code removed}. */
  private DynamicTest removesAll(boolean removed, String rule, RuntimeException thrown,
      Consumer<RuntimeException> call) {
    return DynamicTest.dynamicTest(rule, () -> {
      fill();
      assertThrows(thrown.getClass(), () -> call.accept(thrown));
      assertEquals(removed ? 0 : 20, size(cache(PRICES)));
    });
  }

  private static Cache<Object, Object> cache(String name) {
    return Containers.cache(name);
  }

  static int size(Cache<Object, Object> cache) {
    int size = 0;
    for (Iterator<Cache.Entry<Object, Object>> it = cache.iterator(); it.hasNext(); it.next()) {
      size++;
    }
    return size;
  }

  /** Notes how many entries the cache held while it ran. */
  @ApplicationScoped
  public static class PriceList extends DuringCall<Integer> {

    @CacheRemoveAll(cacheName = PRICES)
    public void reload(RuntimeException failure) {
      look();
      Containers.throwIfGiven(failure);
    }

    @CacheRemoveAll(cacheName = OTHER)
    public void reloadOther() {
    }

    @CacheRemoveAll(cacheName = PRICES, evictFor = IllegalStateException.class)
    public void reloadOnState(RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CacheRemoveAll(cacheName = PRICES, noEvictFor = IllegalArgumentException.class)
    public void reloadUnlessArgument(RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CacheRemoveAll(cacheName = PRICES, evictFor = RuntimeException.class, noEvictFor = IllegalArgumentException.class)
    public void reloadOnRuntimeButNotArgument(RuntimeException failure) {
      Containers.throwIfGiven(failure);
    }

    @CacheRemoveAll(cacheName = PRICES, afterInvocation = false)
    public void reloadFirst(RuntimeException failure) {
      look();
      Containers.throwIfGiven(failure);
    }

    private void look() {
      Cache<Object, Object> cache = Containers.cache(PRICES);
      see(cache == null ? -1 : size(cache));
    }

  }
}
