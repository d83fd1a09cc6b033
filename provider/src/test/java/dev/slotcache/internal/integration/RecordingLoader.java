package dev.slotcache.internal.integration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;

/**
 * Loads {@code "loaded " + key}; has nothing for keys starting with {@code none}, fails for keys starting with
 * {@code fail} ({@link IllegalStateException}) or {@code spec} (its own {@link CacheLoaderException}). Records the
 * keys of every call. Thread-safe ({@code loadAll} of the cache runs on a thread of its own).
 */
final class RecordingLoader implements CacheLoader<String, String> {

  static final CacheLoaderException SPEC_FAILURE = new CacheLoaderException("the loader's own");

  private final List<List<String>> calls = new ArrayList<>();

  @Override
  public synchronized String load(String key) {
    calls.add(List.of(key));
    return value(key);
  }

  @Override
  public synchronized Map<String, String> loadAll(Iterable<? extends String> keys) {
    List<String> asked = new ArrayList<>();
    keys.forEach(asked::add);
    calls.add(List.copyOf(asked));
    Map<String, String> loaded = new LinkedHashMap<>();
    for (String key : asked) {
      loaded.put(key, value(key));
    }
    return loaded;
  }

  /** The keys of each call so far, in order: one key for {@code load}, the batch for {@code loadAll}. */
  synchronized List<List<String>> calls() {
    return List.copyOf(calls);
  }

  private static String value(String key) {
    if (key.startsWith("fail")) {
      throw new IllegalStateException("cannot load " + key);
    }
    if (key.startsWith("spec")) {
      throw SPEC_FAILURE;
    }
    return key.startsWith("none") ? null : "loaded " + key;
  }
}
