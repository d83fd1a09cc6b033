package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.configuration.SlotcacheConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operations of {@code Cache} on the cluster (entry processors: {@code processor}; loading: {@code integration}). */
class CacheOperationsTest extends ClusterTest {

  private Cache<String, String> cache;

  @BeforeEach
  void createCache() {
    cache = stringCache("ops");
  }

  @Test
  void get_missingKey_returnsNull() {
    assertNull(cache.get("nothing"));
  }

  @Test
  void put_thenGet_returnsValue() {
    cache.put("a", "1");
    assertEquals("1", cache.get("a"));
  }

  @Test
  void put_existingKey_overwrites() {
    cache.put("a", "1");
    cache.put("a", "2");
    assertEquals("2", cache.get("a"));
  }

  @Test
  void containsKey_reflectsPresence() {
    assertFalse(cache.containsKey("a"));
    cache.put("a", "1");
    assertTrue(cache.containsKey("a"));
  }

  @Test
  void getAndPut_returnsPreviousValue() {
    assertNull(cache.getAndPut("a", "1"));
    assertEquals("1", cache.getAndPut("a", "2"));
    assertEquals("2", cache.get("a"));
  }

  @Test
  void putIfAbsent_onlyWritesWhenAbsent() {
    assertTrue(cache.putIfAbsent("a", "1"));
    assertFalse(cache.putIfAbsent("a", "2"));
    assertEquals("1", cache.get("a"));
  }

  @Test
  void remove_reportsWhetherRemoved() {
    assertFalse(cache.remove("a"));
    cache.put("a", "1");
    assertTrue(cache.remove("a"));
    assertNull(cache.get("a"));
  }

  @Test
  void removeWithValue_removesOnlyOnMatch() {
    cache.put("a", "1");
    assertFalse(cache.remove("a", "2"));
    assertEquals("1", cache.get("a"));
    assertTrue(cache.remove("a", "1"));
    assertFalse(cache.containsKey("a"));
    assertFalse(cache.remove("a", "1"));
  }

  @Test
  void getAndRemove_returnsRemovedValue() {
    assertNull(cache.getAndRemove("a"));
    cache.put("a", "1");
    assertEquals("1", cache.getAndRemove("a"));
    assertFalse(cache.containsKey("a"));
  }

  @Test
  void replace_onlyReplacesPresentKey() {
    assertFalse(cache.replace("a", "1"));
    assertFalse(cache.containsKey("a"));
    cache.put("a", "1");
    assertTrue(cache.replace("a", "2"));
    assertEquals("2", cache.get("a"));
  }

  @Test
  void replaceWithOldValue_replacesOnlyOnMatch() {
    assertFalse(cache.replace("a", "1", "2"));
    cache.put("a", "1");
    assertFalse(cache.replace("a", "x", "2"));
    assertEquals("1", cache.get("a"));
    assertTrue(cache.replace("a", "1", "2"));
    assertEquals("2", cache.get("a"));
  }

  @Test
  void replaceWithOldValue_equalButDifferentlyEncodedValue_stillMatches() {
    Cache<String, HashSet<String>> sets = manager.createCache("sets", new MutableConfiguration<>());
    HashSet<String> stored = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      stored.add("e" + i);
    }
    sets.put("s", stored);
    // Same elements, other insertion history: equal, but HashSet iteration order (hence Kryo bytes) may differ.
    HashSet<String> expected = new HashSet<>(16);
    for (int i = 199; i >= 0; i--) {
      expected.add("e" + i);
    }
    HashSet<String> replacement = new HashSet<>(Set.of("new"));
    assertTrue(sets.replace("s", expected, replacement));
    assertEquals(replacement, sets.get("s"));
  }

  @Test
  void getAndReplace_returnsOldValueOnlyWhenPresent() {
    assertNull(cache.getAndReplace("a", "1"));
    assertFalse(cache.containsKey("a"));
    cache.put("a", "1");
    assertEquals("1", cache.getAndReplace("a", "2"));
    assertEquals("2", cache.get("a"));
  }

  @Test
  void putAll_getAll_roundTripManyKeysAcrossMasters() {
    Map<String, String> entries = numbered(500);
    cache.putAll(entries);
    Set<String> keys = new HashSet<>(entries.keySet());
    keys.add("absent");
    Map<String, String> found = cache.getAll(keys);
    assertEquals(entries, found);
  }

  @Test
  void removeAll_withKeys_removesOnlyThose() {
    cache.putAll(numbered(100));
    Set<String> gone = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      gone.add("k" + i);
    }
    cache.removeAll(gone);
    for (int i = 0; i < 100; i++) {
      assertEquals(i >= 50, cache.containsKey("k" + i), "k" + i);
    }
  }

  @Test
  void removeAll_andClear_emptyTheCacheButNotOthers() {
    Cache<String, String> other = manager.createCache("other", new MutableConfiguration<>());
    other.put("keep", "me");
    for (int i = 0; i < 300; i++) {
      cache.put("k" + i, "v");
    }
    cache.removeAll();
    assertFalse(cache.iterator().hasNext());
    cache.put("x", "y");
    cache.clear();
    assertNull(cache.get("x"));
    assertEquals("me", other.get("keep"));
  }

  @Test
  void iterator_visitsEveryEntryOnce_andRemoves() {
    Map<String, String> entries = numbered(1000);
    cache.putAll(entries);
    Map<String, String> seen = new HashMap<>();
    for (Cache.Entry<String, String> entry : cache) {
      assertNull(seen.put(entry.getKey(), entry.getValue()), "visited twice: " + entry.getKey());
    }
    assertEquals(entries, seen);
    var it = cache.iterator();
    while (it.hasNext()) {
      it.next();
      it.remove();
    }
    assertFalse(cache.iterator().hasNext());
  }

  @Test
  void storeByValue_mutatingAfterPut_doesNotChangeCache() {
    Cache<String, List<String>> lists = manager.createCache("lists", new MutableConfiguration<>());
    List<String> value = new ArrayList<>(List.of("a"));
    lists.put("k", value);
    value.add("b");
    assertEquals(List.of("a"), lists.get("k"));
    List<String> read = lists.get("k");
    read.add("c");
    assertEquals(List.of("a"), lists.get("k"));
  }

  @Test
  void getConfiguration_returnsTypesAndRejectsForeignClasses() {
    @SuppressWarnings("unchecked")
    CompleteConfiguration<String, String> config = cache.getConfiguration(CompleteConfiguration.class);
    assertEquals(String.class, config.getKeyType());
    assertEquals(String.class, config.getValueType());
    assertTrue(SlotcacheConfiguration.of(cache).getSegments() > 0);
    assertThrows(IllegalArgumentException.class, () -> cache.getConfiguration(Fake.class));
  }

  @Test
  void unwrap_ownTypeOrFail() {
    assertSame(cache, cache.unwrap(Cache.class));
    assertThrows(IllegalArgumentException.class, () -> cache.unwrap(String.class));
  }

  @Test
  void close_makesOperationsFail_butKeepsData() {
    cache.put("a", "1");
    cache.close();
    assertTrue(cache.isClosed());
    assertThrows(IllegalStateException.class, () -> cache.get("a"));
    Cache<String, String> reopened = manager.getCache("ops", String.class, String.class);
    assertEquals("1", reopened.get("a"));
  }

  @Test
  void storeByReference_isRefusedClearly() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> manager.createCache(
        "byRef", new MutableConfiguration<String, String>().setStoreByValue(false)));
    assertTrue(e.getMessage().contains("byRef"), e.getMessage());
  }

  @Test
  void getName_andGetCacheManager() {
    assertEquals("ops", cache.getName());
    assertSame(manager, cache.getCacheManager());
  }

  /** {@code k0=v0, k1=v1, …}: {@code count} entries. */
  static Map<String, String> numbered(int count) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      entries.put("k" + i, "v" + i);
    }
    return entries;
  }

  abstract static class Fake extends MutableConfiguration<String, String> {
    private static final long serialVersionUID = 1L;
  }
}
