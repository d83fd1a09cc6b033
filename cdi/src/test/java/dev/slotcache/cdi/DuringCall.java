package dev.slotcache.cdi;

/**
 * Base of test beans that note what the cache held while their last call ran, to tell "before the call" from
 * "after". The test reads it through the bean's client proxy, so through methods. Null until a call noted something.
 *
 * @param <T> what is noted
 */
abstract class DuringCall<T> {

  private volatile T seen;

  /** What the last call saw. */
  T seen() {
    return seen;
  }

  void forget() {
    seen = null;
  }

  void see(T what) {
    seen = what;
  }
}
