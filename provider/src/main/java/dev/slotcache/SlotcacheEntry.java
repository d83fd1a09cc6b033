package dev.slotcache;

import dev.slotcache.internal.Unwrapping;
import java.util.Objects;
import javax.cache.Cache;

/** An immutable cache entry, as iteration returns them: a copy of what was stored. */
final class SlotcacheEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  SlotcacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return Unwrapping.as(this, clazz, "a cache entry");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cache.Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(value, e.getValue());
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(key) ^ Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return "SlotcacheEntry[" + key + "]";
  }
}
