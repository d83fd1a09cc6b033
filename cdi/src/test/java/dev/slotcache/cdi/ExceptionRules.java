package dev.slotcache.cdi;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DynamicTest;

/**
 * The exception rules that {@code @CachePut} ({@code cacheFor}, {@code noCacheFor}), {@code @CacheRemove} and
 * {@code @CacheRemoveAll} ({@code evictFor}, {@code noEvictFor}) share, as one table: whether a call that throws
 * still does the annotation's cache operation.
 */
final class ExceptionRules {

  private ExceptionRules() {
  }

  /** One case: after {@code call} throws {@code thrown}, the operation happened exactly when {@code applies}. */
  interface Case {
    DynamicTest of(boolean applies, String rule, RuntimeException thrown, Consumer<RuntimeException> call);
  }

  /**
   * The cases, calling methods of the bean under test whose annotation has: no list ({@code noList}); the include
   * list alone, naming IllegalStateException ({@code including}); the exclude list alone, naming
   * IllegalArgumentException ({@code excluding}); RuntimeException included and IllegalArgumentException excluded
   * ({@code both}).
   *
   * @param operation what the annotation does, as the no-list case names it ("puts", "removes")
   * @param include   the include list's name; {@code exclude} the exclude list's
   */
  static List<DynamicTest> cases(String operation, String include, String exclude, Case check,
      Consumer<RuntimeException> noList, Consumer<RuntimeException> including, Consumer<RuntimeException> excluding,
      Consumer<RuntimeException> both) {
    return List.of(
        check.of(false, "no list: no exception " + operation, new IllegalStateException(), noList),
        check.of(true, include + ": an exception it names", new IllegalStateException(), including),
        check.of(false, include + ": an exception it does not name", new IllegalArgumentException(), including),
        check.of(false, exclude + ": an exception it names", new IllegalArgumentException(), excluding),
        check.of(true, exclude + ": an exception it does not name", new IllegalStateException(), excluding),
        check.of(false, "both: an included exception that is excluded too", new NumberFormatException(), both),
        check.of(true, "both: an included exception that is not excluded", new IllegalStateException(), both));
  }
}
