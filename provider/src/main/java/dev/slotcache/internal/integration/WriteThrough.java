package dev.slotcache.internal.integration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * Calls a {@link CacheWriter} the way the spec asks: before the cache changes, every failure as a
 * {@link CacheWriterException}, and for batches the entries the writer did handle reported back, so that the
 * cache applies exactly those. Thread-safe when the writer is.
 */
public class WriteThrough<K, V> {

  private final CacheWriter<K, V> writer;
  private final BiFunction<K, V, Cache.Entry<K, V>> entryFactory;

  private static final WriteThrough<Object, Object> DISABLED = new WriteThrough<>() {
    @Override
    public void write(Object key, Object value) {
    }

    @Override
    public void delete(Object key) {
    }

    @Override
    public Batch<Object> writeAll(Map<?, ?> entries) {
      return new Batch<>(null, null);
    }

    @Override
    public Batch<Object> deleteAll(Collection<?> keys) {
      return new Batch<>(null, null);
    }
  };

  /** The writer of a cache without write-through: writes and deletes nothing, every batch done. */
  @SuppressWarnings("unchecked")
  public static <K, V> WriteThrough<K, V> disabled() {
    return (WriteThrough<K, V>) DISABLED;
  }

  private WriteThrough() {
    this.writer = null;
    this.entryFactory = null;
  }

  /**
   * @param writer  the user's writer
   * @param entries makes the entries handed to the writer (the cache's own entry type)
   */
  @SuppressWarnings("unchecked")
  public WriteThrough(CacheWriter<? super K, ? super V> writer, BiFunction<K, V, Cache.Entry<K, V>> entries) {
    // A writer of supertypes accepts our entries and keys: the cast only drops the wildcards.
    this.writer = (CacheWriter<K, V>) Objects.requireNonNull(writer, "writer");
    this.entryFactory = Objects.requireNonNull(entries, "entries");
  }

  public void write(K key, V value) {
    try {
      writer.write(entryFactory.apply(key, value));
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("the cache writer failed to write", e);
    }
  }

  public void delete(K key) {
    try {
      writer.delete(key);
    } catch (CacheWriterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheWriterException("the cache writer failed to delete", e);
    }
  }

  /** Outcome of a batch: what the writer handled (null: all of it), and its failure if any. */
  public record Batch<T>(Set<T> done, CacheWriterException failure) {
  }

  /** Writes entries; the result names the keys written (all of them unless the writer failed part-way). */
  public Batch<K> writeAll(Map<? extends K, ? extends V> entries) {
    List<Cache.Entry<? extends K, ? extends V>> pending = new ArrayList<>(entries.size());
    for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
      pending.add(entryFactory.apply(entry.getKey(), entry.getValue()));
    }
    Set<K> all = new LinkedHashSet<>(entries.keySet());
    try {
      writer.writeAll(pending);
      return new Batch<>(all, null);
    } catch (RuntimeException e) {
      // The writer removes from the collection what it wrote; what is left was not written.
      for (Cache.Entry<? extends K, ? extends V> left : pending) {
        all.remove(left.getKey());
      }
      return new Batch<>(all, e instanceof CacheWriterException cwe ? cwe
          : new CacheWriterException("the cache writer failed to write all entries", e));
    }
  }

  /** Deletes keys; the result names the keys deleted (all of them unless the writer failed part-way). */
  public Batch<K> deleteAll(Collection<? extends K> keys) {
    if (keys.isEmpty()) {
      return new Batch<>(null, null); // nothing to delete: the writer is not asked (removeAll() of an empty cache)
    }
    List<K> pending = new ArrayList<>(keys);
    Set<K> all = new LinkedHashSet<>(keys);
    try {
      writer.deleteAll(pending);
      return new Batch<>(all, null);
    } catch (RuntimeException e) {
      for (Object left : pending) {
        all.remove(left);
      }
      return new Batch<>(all, e instanceof CacheWriterException cwe ? cwe
          : new CacheWriterException("the cache writer failed to delete all entries", e));
    }
  }

  /** The entries of a map whose keys a batch handled ({@code keys} null: the map itself). */
  @SuppressWarnings("unchecked")
  public static <K, V> Map<K, V> only(Map<? extends K, ? extends V> entries, Set<K> keys) {
    if (keys == null) {
      return (Map<K, V>) entries;
    }
    Map<K, V> kept = new LinkedHashMap<>();
    for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
      if (keys.contains(entry.getKey())) {
        kept.put(entry.getKey(), entry.getValue());
      }
    }
    return kept;
  }

  /** The keys a batch handled ({@code done} null: all of {@code keys}). */
  @SuppressWarnings("unchecked")
  public static <K> Collection<K> only(Collection<? extends K> keys, Set<K> done) {
    return done == null ? (Collection<K>) keys : done;
  }

  /** The user's writer (to close it with the cache), or null when disabled. */
  public Object delegate() {
    return writer;
  }
}
