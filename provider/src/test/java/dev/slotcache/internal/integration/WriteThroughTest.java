package dev.slotcache.internal.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriterException;
import javax.cache.processor.EntryProcessorException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write-through ({@code setWriteThrough(true)} with a writer): put, putAll, remove, removeAll and invoke call the
 * writer before the cache changes; a failing writer leaves the cache unchanged and surfaces as a
 * {@link CacheWriterException}; a batch the writer handled in part changes the cache for exactly what it handled.
 */
class WriteThroughTest extends ClusterTest {

  private final RecordingWriter writer = new RecordingWriter();
  private Cache<String, String> cache;

  @BeforeEach
  void createCache() {
    cache = manager.createCache("write-through", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setWriteThrough(true).setCacheWriterFactory(new FactoryBuilder.SingletonFactory<>(writer)));
    writer.observe(cache);
  }

  @Test
  void put_callsTheWriterBeforeTheCacheChanges() {
    cache.put("a", "1");
    cache.put("a", "2");
    assertEquals(List.of("write a=1 (cache had null)", "write a=2 (cache had 1)"), writer.calls());
    assertEquals("2", cache.get("a"));
  }

  @Test
  void put_failingWriter_leavesTheCacheUnchanged() {
    cache.put("a", "1");
    writer.failFor("a", "b");
    CacheWriterException e = assertThrows(CacheWriterException.class, () -> cache.put("a", "2"));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertThrows(CacheWriterException.class, () -> cache.put("b", "1"));
    assertEquals("1", cache.get("a"));
    assertFalse(cache.containsKey("b"));
  }

  @Test
  void putAll_writesTheEntriesBeforeStoringThem() {
    cache.putAll(entries("a", "b"));
    assertEquals(List.of("write a=value a (cache had null)", "write b=value b (cache had null)"), writer.calls());
    assertEquals(entries("a", "b"), cache.getAll(Set.of("a", "b")));
  }

  @Test
  void putAll_writtenInPart_storesWhatWasWritten_andLeavesTheRestInTheWritersCollection() {
    writer.failFor("c");
    Map<String, String> entries = entries("a", "b", "c", "d");
    assertThrows(CacheWriterException.class, () -> cache.putAll(entries));
    assertEquals(List.of("c", "d"), writer.leftInBatch());
    assertEquals(entries("a", "b"), cache.getAll(Set.of("a", "b", "c", "d")));
    assertEquals(entries("a", "b", "c", "d"), entries, "the caller's map is left as it was");
  }

  @Test
  void remove_callsTheWriterBeforeRemoving_andAFailingWriterKeepsTheEntry() {
    cache.put("a", "1");
    cache.put("b", "1");
    writer.forget();
    assertTrue(cache.remove("a"));
    assertEquals(List.of("delete a (cache had 1)"), writer.calls());
    writer.failFor("b");
    assertThrows(CacheWriterException.class, () -> cache.remove("b"));
    assertEquals("1", cache.get("b"));
  }

  @Test
  void removeAll_deletedInPart_removesWhatWasDeleted_andLeavesTheRestInTheWritersCollection() {
    cache.putAll(entries("a", "b", "c", "d"));
    writer.forget();
    writer.failFor("c");
    Set<String> keys = new LinkedHashSet<>(List.of("a", "b", "c", "d"));
    assertThrows(CacheWriterException.class, () -> cache.removeAll(keys));
    assertEquals(List.of("c", "d"), writer.leftInBatch());
    assertEquals(entries("c", "d"), cache.getAll(Set.of("a", "b", "c", "d")));
    assertEquals(Set.of("a", "b", "c", "d"), keys, "the caller's set is left as it was");
  }

  @Test
  void removeAll_withoutKeys_deletesEveryEntryThroughTheWriter() {
    cache.putAll(entries("a", "b"));
    writer.forget();
    cache.removeAll();
    assertEquals(Set.of("delete a (cache had value a)", "delete b (cache had value b)"), Set.copyOf(writer.calls()));
    assertFalse(cache.iterator().hasNext());
  }

  @Test
  void invoke_writesOrDeletesBeforeTheCommit() {
    cache.invoke("a", (entry, arguments) -> {
      entry.setValue("1");
      return null;
    });
    cache.invoke("a", (entry, arguments) -> {
      entry.remove();
      return null;
    });
    assertEquals(List.of("write a=1 (cache had null)", "delete a (cache had 1)"), writer.calls());
    assertNull(cache.get("a"));
  }

  @Test
  void invoke_failingWriter_isAnEntryProcessorException_andLeavesTheEntry() {
    cache.put("a", "1");
    writer.failFor("a");
    EntryProcessorException e = assertThrows(EntryProcessorException.class,
        () -> cache.invoke("a", (entry, arguments) -> {
          entry.setValue("2");
          return null;
        }));
    assertInstanceOf(CacheWriterException.class, e.getCause());
    assertEquals("1", cache.get("a"));
  }

  /** {@code key=value key} for each key, in order. */
  private static Map<String, String> entries(String... keys) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String key : keys) {
      entries.put(key, "value " + key);
    }
    return entries;
  }
}
