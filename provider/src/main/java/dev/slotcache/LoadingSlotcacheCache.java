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

  LoadingSlotcacheCache(CacheParts<K, V> parts) {
    super(parts);
  }

  /** Loads once across every JVM sharing the cache ({@link SingleFlight}); every caller gets the stored value. */
  @Override
  V missed(K key, byte[] k) {
    return flights.load(k, () -> read(k), lease -> {
      V value = loader.load(key);
      return value == null ? null : storeLoaded(key, k, value, lease);
    });
  }

  /** Loads the misses once across every JVM sharing the cache ({@link #loadOnce}). */
  @Override
  void missedAll(List<K> missing, Map<K, V> result) {
    List<V> found = loadOnce(missing);
    for (int i = 0; i < missing.size(); i++) {
      if (found.get(i) != null) {
        result.put(missing.get(i), found.get(i));
      }
    }
  }
}
