package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value class the CacheManager's class loader cannot see: a put fails at once and says what to do, and an entry
 * another class loader wrote is a miss here but stays in Redis for the JVMs that can read it.
 */
class ValueClassVisibilityTest extends ClusterTest {

  @TempDir
  Path classes;

  private CompiledValueClass ticket;

  @BeforeEach
  void compileTicket() {
    ticket = CompiledValueClass.compile(classes);
    // As in an application whose own loader is also the provider's: the TCCL cannot rescue the blind manager.
    Thread.currentThread().setContextClassLoader(SlotcacheCachingProvider.class.getClassLoader());
  }

  @AfterEach
  void closeTicket() throws Exception {
    ticket.close();
  }

  @Test
  void put_classTheManagerCannotSee_throwsBeforeWriting() {
    CacheManager blind = provider.getCacheManager(clusterUri(namespace),
        SlotcacheCachingProvider.class.getClassLoader());
    Cache<String, Object> tickets = blind.createCache("tickets", new MutableConfiguration<>());

    CacheException thrown = assertThrows(CacheException.class, () -> tickets.put("k", ticket.newInstance("seat 12A")));

    String message = thrown.getMessage();
    assertTrue(message.contains(ticket.name()), message);
    assertTrue(message.contains(String.valueOf(SlotcacheCachingProvider.class.getClassLoader())), message);
    assertTrue(message.contains("getCacheManager"), message);
    assertFalse(raw.exists(redisKeyOf(blind, "tickets", "k")), "nothing was written");
  }

  @Test
  void put_classTheManagerCannotSee_insideAJdkCollection_throwsBeforeWriting() {
    Cache<String, Object> tickets = manager.createCache("tickets", new MutableConfiguration<>());
    List<Object> nested = new ArrayList<>(List.of("a string", ticket.newInstance("seat 12A")));

    CacheException thrown = assertThrows(CacheException.class, () -> tickets.put("k", nested));

    assertTrue(thrown.getMessage().contains(ticket.name()), thrown.getMessage());
    assertFalse(raw.exists(redisKeyOf(manager, "tickets", "k")), "nothing was written");
    tickets.put("k", new ArrayList<>(List.of("a string")));
    assertEquals(List.of("a string"), tickets.get("k"), "the verdict is per class, not per cache");
  }

  @Test
  void get_entryOfAClassThisManagerCannotLoad_isAMiss_keepsTheEntry_andSaysWhy() {
    CacheManager seeing = provider.getCacheManager(clusterUri(namespace), ticket.loader());
    try (LogCapture log = new LogCapture()) {
      Cache<String, Object> written = seeing.createCache("tickets", new MutableConfiguration<>());
      written.put("k", ticket.newInstance("seat 12A"));
      byte[] redisKey = redisKeyOf(seeing, "tickets", "k");

      Cache<String, Object> blind = manager.getCache("tickets");
      assertNull(blind.get("k"));

      assertTrue(raw.exists(redisKey), "another JVM (or class loader) may read the entry: it is not removed");
      assertTrue(log.has(Level.WARN, m -> m.contains(ticket.name())
          && m.contains(String.valueOf(manager.getClassLoader())) && m.contains("kept")), log.all());
      assertEquals(ticket.newInstance("seat 12A"), written.get("k"), "the manager that sees the class still reads it");
    } finally {
      seeing.destroyCache("tickets");
      seeing.close();
    }
  }

  private byte[] redisKeyOf(CacheManager owner, String cacheName, String key) {
    int segments = SlotcacheConfiguration.of(owner.getCache(cacheName)).getSegments();
    return new SegmentedKeyLayout(namespace, cacheName, segments).redisKey(key.getBytes(StandardCharsets.UTF_8));
  }
}
