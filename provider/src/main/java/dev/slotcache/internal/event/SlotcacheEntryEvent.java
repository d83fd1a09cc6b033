package dev.slotcache.internal.event;

import dev.slotcache.internal.Unwrapping;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/**
 * An entry event. CREATED carries the new value; UPDATED the new and, when known, the old value; REMOVED and
 * EXPIRED the old value as both {@code getValue()} and {@code getOldValue()}, when known.
 */
final class SlotcacheEntryEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final K key;
  private final transient V value;
  private final transient V oldValue;

  SlotcacheEntryEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue) {
    super(source, type);
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
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
  public V getOldValue() {
    return oldValue;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValue != null;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return Unwrapping.as(this, clazz, "an entry event");
  }

  @Override
  public String toString() {
    return "SlotcacheEntryEvent[" + getEventType() + " " + key + "]";
  }
}
