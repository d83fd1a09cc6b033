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
    return calling(() -> loader.load(key), "the cache loader failed to load");
  }

  /** The loaded values (entries with null values mean "none"). */
  public Map<K, V> loadAll(Iterable<? extends K> keys) {
    return calling(() -> loader.loadAll(keys), "the cache loader failed to load all");
  }

  /** A call of the loader: its failure as a {@link CacheLoaderException}. */
  private static <T> T calling(java.util.function.Supplier<T> call, String failure) {
    try {
      return call.get();
    } catch (CacheLoaderException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheLoaderException(failure, e);
    }
  }

  /** The user's loader (to close it with the cache). */
  public Object delegate() {
    return loader;
  }
}
