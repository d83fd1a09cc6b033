package dev.slotcache.cdi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of test beans that count how often their methods ran, which tells a cache hit from a call (the test reads
 * the counts through the bean's client proxy, so through methods). Thread-safe.
 */
abstract class CountedRuns {

  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** Notes a run of {@code method}; returns how many runs it has had. */
  int ran(String method) {
    return runs.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
  }

  /** How many times {@code method} ran. */
  int runs(String method) {
    AtomicInteger count = runs.get(method);
    return count == null ? 0 : count.get();
  }

  /** How many times any method ran. */
  int runs() {
    return runs.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  void reset() {
    runs.clear();
  }
}
