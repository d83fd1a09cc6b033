package dev.slotcache.internal.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.Test;

/** {@code invoke} and {@code invokeAll}: what a processor does to its entry, and how its failures show. */
class EntryProcessorTest extends ClusterTest {

  @Test
  void invoke_createsUpdatesAndRemoves() {
    Cache<String, String> cache = stringCache("processed");
    assertEquals("created", cache.invoke("a", (entry, args) -> {
      assertFalse(entry.exists());
      entry.setValue("1");
      return "created";
    }));
    assertEquals("1", cache.get("a"));
    assertEquals("1", cache.invoke("a", (entry, args) -> {
      String old = entry.getValue();
      entry.setValue(old + args[0]);
      return old;
    }, "+"));
    assertEquals("1+", cache.get("a"));
    cache.invoke("a", (entry, args) -> {
      entry.remove();
      return null;
    });
    assertFalse(cache.containsKey("a"));
  }

  @Test
  void invoke_processorException_isWrappedAndChangesNothing() {
    Cache<String, String> cache = stringCache("processed");
    cache.put("a", "1");
    EntryProcessorException e = assertThrows(EntryProcessorException.class, () -> cache.invoke("a", (entry, args) -> {
      entry.setValue("2");
      throw new IllegalStateException("boom");
    }));
    assertTrue(e.getCause() instanceof IllegalStateException);
    assertEquals("1", cache.get("a"));
  }

  @Test
  void invokeAll_returnsNonNullResults_andAppliesWrites() {
    Cache<String, String> cache = stringCache("processed");
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      cache.put("k" + i, Integer.toString(i));
      keys.add("k" + i);
    }
    keys.add("new");
    Map<String, EntryProcessorResult<Integer>> results = cache.invokeAll(keys, (MutableEntry<String, String> entry,
        Object... args) -> {
      if (!entry.exists()) {
        entry.setValue("fresh");
        return null;
      }
      int value = Integer.parseInt(entry.getValue());
      entry.setValue(Integer.toString(value * 2));
      return value;
    });
    assertEquals(50, results.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i, results.get("k" + i).get());
      assertEquals(Integer.toString(i * 2), cache.get("k" + i));
    }
    assertEquals("fresh", cache.get("new"));
  }

  @Test
  void invokeAll_failingProcessor_reportsPerKey() {
    Cache<String, String> cache = stringCache("processed");
    cache.put("good", "1");
    cache.put("bad", "2");
    Map<String, EntryProcessorResult<String>> results = cache.invokeAll(Set.of("good", "bad"), (entry, args) -> {
      if (entry.getKey().equals("bad")) {
        throw new IllegalArgumentException("no");
      }
      entry.setValue("ok");
      return "done";
    });
    assertEquals("done", results.get("good").get());
    assertThrows(EntryProcessorException.class, () -> results.get("bad").get());
    assertEquals("2", cache.get("bad"));
    assertEquals("ok", cache.get("good"));
  }
}
