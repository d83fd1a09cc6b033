package dev.slotcache.cdi;

import java.lang.reflect.UndeclaredThrowableException;

/** Exception plumbing shared by the interceptors. */
final class Rethrow {

  private Rethrow() {
  }

  /**
   * A cached exception, ready to throw from an {@code @AroundInvoke} method: exceptions and errors as they are,
   * any other throwable wrapped.
   */
  static Exception asException(Throwable thrown) {
    if (thrown instanceof Error error) {
      throw error;
    }
    return thrown instanceof Exception exception ? exception : new UndeclaredThrowableException(thrown);
  }

  /**
   * Runs a cache operation that follows a failed call; if it fails too, its exception is added to the call's as
   * a suppressed one, so the caller still sees what the method threw.
   */
  static void keepingOriginal(Throwable original, Runnable cacheOperation) {
    try {
      cacheOperation.run();
    } catch (RuntimeException e) {
      original.addSuppressed(e);
    }
  }
}
