package dev.slotcache.internal.integration;

import java.util.Map;
import java.util.Objects;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/** Calls a {@link CacheLoader}, every failure as a {@link CacheLoaderException}. Thread-safe when the loader is. */
public final class ReadThrough<K, V> {

  private final CacheLoader<K, V> loader;

  public ReadThrough(CacheLoader<K, V> loader) {
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** The loaded value, or null when the loader has none. */
  public V load(K key) {
    try {
      return loader.load(key);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("the cache loader failed to load", e);
    }
  }

  /** The loaded values (entries with null values mean "none"). */
  public Map<K, V> loadAll(Iterable<? extends K> keys) {
    try {
      return loader.loadAll(keys);
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException("the cache loader failed to load all", e);
    }
  }

  /** The user's loader (to close it with the cache). */
  public Object delegate() {
    return loader;
  }
}
