package dev.slotcache;

import java.util.List;
import java.util.Map;

/**
 * A read-through cache: a {@code get} that misses asks the loader — once across every JVM at a time — and stores
 * what it returns as a creation (the writer is not called for loads); a {@code getAll} asks {@code loadAll} for its
 * misses; {@code invoke}'s {@code getValue()} loads through the
 * {@link Invocations} the factory gave it.
 */
final class LoadingSlotcacheCache<K, V> extends SlotcacheCache<K, V> {

  private final SingleFlight<V> flights;

  LoadingSlotcacheCache(CacheParts<K, V> parts, SingleFlight<V> flights) {
    super(parts);
    this.flights = java.util.Objects.requireNonNull(flights, "flights");
  }

  /** Loads once across every JVM sharing the cache ({@link SingleFlight}); every caller gets the stored value. */
  @Override
  V missed(K key, byte[] k) {
    return flights.load(k, () -> read(k), () -> {
      V value = loader.load(key);
      return value == null ? null : storeLoaded(key, k, value);
    });
  }

  @Override
  void missedAll(List<K> missing, Map<K, V> result) {
    Map<K, V> loaded = loader.loadAll(missing);
    for (K key : missing) {
      V value = loaded == null ? null : loaded.get(key);
      if (value != null) {
        storeLoaded(key, values.encodeKey(key), value);
        result.put(key, value);
      }
    }
  }
}
