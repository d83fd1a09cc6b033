package dev.slotcache.internal.integration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;

/**
 * Records what it is asked to write and delete, and what the cache held for the key at that moment (so a test sees
 * that the writer ran before the cache changed). Fails ({@link IllegalStateException}) for the keys named with
 * {@link #failFor}; its batch methods handle entries in order, removing each from the collection once handled, as
 * the spec asks, and stop at the first failing key. Used by one thread at a time.
 */
final class RecordingWriter implements CacheWriter<String, String> {

  private final List<String> calls = new ArrayList<>();
  private final Set<String> failing = new HashSet<>();
  private final List<String> leftInBatch = new ArrayList<>();
  private Cache<String, String> cache;

  /** The cache whose contents the writer notes at each call. */
  void observe(Cache<String, String> observed) {
    this.cache = observed;
  }

  void failFor(String... keys) {
    failing.addAll(List.of(keys));
  }

  /** One line per entry handled: {@code write k=v (cache had x)} or {@code delete k (cache had x)}. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  /** The keys still in the collection of the last batch when it failed. */
  List<String> leftInBatch() {
    return List.copyOf(leftInBatch);
  }

  void forget() {
    calls.clear();
    leftInBatch.clear();
  }

  @Override
  public void write(Cache.Entry<? extends String, ? extends String> entry) {
    fail(entry.getKey());
    calls.add("write " + entry.getKey() + "=" + entry.getValue() + " (cache had " + held(entry.getKey()) + ")");
  }

  @Override
  public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
    for (Iterator<Cache.Entry<? extends String, ? extends String>> it = entries.iterator(); it.hasNext(); ) {
      Cache.Entry<? extends String, ? extends String> entry = it.next();
      if (failing.contains(entry.getKey())) {
        entries.forEach(left -> leftInBatch.add(left.getKey()));
      }
      write(entry);
      it.remove();
    }
  }

  @Override
  public void delete(Object key) {
    fail((String) key);
    calls.add("delete " + key + " (cache had " + held((String) key) + ")");
  }

  @Override
  public void deleteAll(Collection<?> keys) {
    for (Iterator<?> it = keys.iterator(); it.hasNext(); ) {
      Object key = it.next();
      if (failing.contains(key)) {
        keys.forEach(left -> leftInBatch.add((String) left));
      }
      delete(key);
      it.remove();
    }
  }

  private void fail(String key) {
    if (failing.contains(key)) {
      throw new IllegalStateException("cannot write " + key);
    }
  }

  private String held(String key) {
    return cache == null ? "?" : String.valueOf(cache.get(key));
  }
}
