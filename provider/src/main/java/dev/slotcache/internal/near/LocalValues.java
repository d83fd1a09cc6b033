package dev.slotcache.internal.near;

/**
 * What a cache holds in this JVM in front of Redis: a {@link NearTier}, or {@link #none()} for a cache without a near
 * cache (chosen once, when the cache is built).
 */
public interface LocalValues<V> {

  /** The value held for {@code key} (not null), or null when Redis must be read. */
  V get(Object key);

  /** Stops holding anything (the cache closes). */
  default void close() {
  }

  /** No near cache: every read goes to Redis. */
  @SuppressWarnings("unchecked")
  static <V> LocalValues<V> none() {
    return (LocalValues<V>) None.NONE;
  }

  /** The cache has no near cache. */
  enum None implements LocalValues<Object> {
    NONE;

    @Override
    public Object get(Object key) {
      return null;
    }
  }
}
