package dev.slotcache;

import java.util.List;
import java.util.Map;

/**
 * A read-through cache: a {@code get} or {@code getAll} that misses asks the loader and stores what it returns as
 * a creation (the writer is not called for loads); {@code invoke}'s {@code getValue()} loads through the
 * {@link Invocations} the factory gave it.
 */
final class LoadingSlotcacheCache<K, V> extends SlotcacheCache<K, V> {

  LoadingSlotcacheCache(CacheParts<K, V> parts) {
    super(parts);
  }

  @Override
  V missed(K key, byte[] k) {
    V value = loader.load(key);
    if (value != null) {
      storeLoaded(key, k, value);
    }
    return value;
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
