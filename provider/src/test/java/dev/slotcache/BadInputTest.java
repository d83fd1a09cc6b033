package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.codec.ClassPolicy;
import dev.slotcache.codec.KryoCodec;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.internal.store.Record;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import dev.slotcache.testkit.LocalRedisCluster;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;

/** Bad input fails fast with the spec's exception or a clear CacheException, and loses nothing. */
class BadInputTest extends ClusterTest {

  private Cache<String, String> cache;

  @BeforeEach
  void createCache() {
    cache = manager.createCache("strict", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void specExceptions_areThrownBeforeAnyNetworkCall() {
    Cache raw = cache;
    Map<String, String> withNullValue = new HashMap<>();
    withNullValue.put("k", null);
    Set<String> withNullKey = new HashSet<>();
    withNullKey.add(null);
    long during = commandsDuring(() -> {
      assertThrows(NullPointerException.class, () -> cache.get(null));
      assertThrows(NullPointerException.class, () -> cache.containsKey(null));
      assertThrows(NullPointerException.class, () -> cache.put(null, "v"));
      assertThrows(NullPointerException.class, () -> cache.put("k", null));
      assertThrows(NullPointerException.class, () -> cache.getAndPut("k", null));
      assertThrows(NullPointerException.class, () -> cache.putIfAbsent("k", null));
      assertThrows(NullPointerException.class, () -> cache.putAll(withNullValue));
      assertThrows(NullPointerException.class, () -> cache.getAll(withNullKey));
      assertThrows(NullPointerException.class, () -> cache.remove(null));
      assertThrows(NullPointerException.class, () -> cache.remove("k", null));
      assertThrows(NullPointerException.class, () -> cache.replace("k", null));
      assertThrows(NullPointerException.class, () -> cache.replace("k", "a", null));
      assertThrows(NullPointerException.class, () -> cache.getAndReplace("k", null));
      assertThrows(NullPointerException.class, () -> cache.removeAll(withNullKey));
      assertThrows(NullPointerException.class, () -> cache.invoke("k", null));
      assertThrows(NullPointerException.class, () -> cache.invoke(null, (e, a) -> null));
      assertThrows(ClassCastException.class, () -> raw.put(1, "v"));
      assertThrows(ClassCastException.class, () -> raw.put("k", 1));
      assertThrows(ClassCastException.class, () -> raw.get(1));
      assertThrows(ClassCastException.class, () -> raw.replace("k", "a", 2));
      assertThrows(ClassCastException.class, () -> raw.putAll(Map.of("k", 3)));
      assertThrows(IllegalArgumentException.class, () -> cache.unwrap(String.class));
      assertThrows(ClassCastException.class, () -> manager.getCache("strict", Integer.class, String.class));
      cache.close();
      assertThrows(IllegalStateException.class, () -> cache.get("k"));
      assertThrows(IllegalStateException.class, () -> cache.put("k", "v"));
      assertThrows(IllegalStateException.class, () -> cache.iterator());
    });
    assertEquals(0, during, "cache commands sent to Redis while rejecting bad input");
  }

  @Test
  void unreachableCluster_givesCacheExceptionNamingTheSeeds() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI uri = URI.create("redis://127.0.0.1:" + port + "/nowhere?timeout=300ms&connect-timeout=300ms&max-attempts=1");
    CacheManager unreachable = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
    try {
      CacheException e = assertThrows(CacheException.class, () -> unreachable.createCache("c", new MutableConfiguration<>()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      assertFalse(e.getClass().getName().startsWith("redis."), e.getClass().getName());
    } finally {
      unreachable.close();
    }
  }

  @Test
  void malformedUris_areRejectedClearly() {
    SlotcacheCachingProvider slotcache = new SlotcacheCachingProvider();
    for (String bad : new String[] {"redis://localhost/ns", "redis://localhost:99999/ns", "redis:///ns",
        "redis://localhost:6379/ns?timeout=soon", "redis://localhost:6379/ns?unknown-option=1"}) {
      CacheException e = assertThrows(CacheException.class,
          () -> slotcache.getCacheManager(URI.create(bad), getClass().getClassLoader()), bad);
      assertFalse(e.getMessage().isBlank());
    }
    CacheException masked = assertThrows(CacheException.class, () -> slotcache.getCacheManager(
        URI.create("redis://user:secret@localhost/ns"), getClass().getClassLoader()));
    assertFalse(masked.getMessage().contains("secret"), masked.getMessage());
  }

  @Test
  void valueThatCannotBeEncoded_failsClearly_andKeepsTheOldValue() {
    Cache<String, Object> objects = manager.createCache("objects", new MutableConfiguration<>());
    objects.put("k", "old");
    CacheException e = assertThrows(CacheException.class, () -> objects.put("k", new Holder(Thread.currentThread())));
    assertTrue(e.getMessage().contains("objects"), e.getMessage());
    assertFalse(e.getClass().getName().contains("kryo"), e.getClass().getName());
    assertEquals("old", objects.get("k"));
  }

  @Test
  void valueLargerThanTheCap_failsClearly_andKeepsTheOldValue() {
    Properties small = new Properties();
    small.setProperty("slotcache.max-value-bytes", "1k");
    CacheManager capped = new SlotcacheCachingProvider().getCacheManager(clusterUri(namespace + "-capped"),
        getClass().getClassLoader(), small);
    try {
      Cache<String, String> c = capped.createCache("capped", new MutableConfiguration<>());
      c.put("k", "small");
      CacheException e = assertThrows(CacheException.class, () -> c.put("k", "x".repeat(5000)));
      assertTrue(e.getMessage().contains("slotcache.max-value-bytes"), e.getMessage());
      assertEquals("small", c.get("k"));
      capped.destroyCache("capped");
    } finally {
      capped.close();
    }
  }

  @Test
  void foreignBytesUnderACacheKey_areAMiss_andAreRemoved() {
    cache.put("neighbour", "safe");
    byte[] redisKey = redisKeyOf("strict", "k");
    byte[] foreign = "written by another application".getBytes(StandardCharsets.UTF_8);
    raw.set(redisKey, foreign);
    assertNull(cache.get("k"));
    assertNull(raw.get(redisKey), "undecodable bytes are removed");
    assertEquals("safe", cache.get("neighbour"));
    cache.put("k", "mine");
    assertEquals("mine", cache.get("k"));
  }

  @Test
  void corruptPayloadWithOurHeader_isAMiss_notACrash() {
    byte[] redisKey = redisKeyOf("strict", "k");
    byte[] corrupt = {0x5C, 1, 0, 0, 0, 0, 0, 0, 0, 7, 1, (byte) 0xff, (byte) 0xfe, 3};
    raw.set(redisKey, corrupt);
    assertNull(cache.get("k"));
    assertFalse(cache.containsKey("k"));
  }

  @Test
  void classOutsideTheAllowList_isNotDecoded() {
    Cache<String, Object> objects = manager.createCache("objects", new MutableConfiguration<>());
    objects.put("k", new Holder("payload"));
    byte[] stored = raw.get(redisKeyOf("objects", "k"));
    assertTrue(Record.isRecord(stored), "no Slotcache record under the key");
    Object decoded = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), stored.length)
        .decodeValue(stored, Record.HEADER_LENGTH);
    assertEquals("payload", assertInstanceOf(Holder.class, decoded).content, "the stored entry holds what was put");
    Properties strict = new Properties();
    strict.setProperty("slotcache.codec.allowed-classes", "com.example.*");
    CacheManager other = new SlotcacheCachingProvider().getCacheManager(clusterUri(namespace),
        getClass().getClassLoader(), strict);
    try {
      Cache<String, Object> guarded = other.getCache("objects");
      assertNull(guarded.get("k"));
    } finally {
      other.close();
    }
    assertNull(raw.get(redisKeyOf("objects", "k")), "an entry this JVM may not decode is a miss and is removed");
  }

  private byte[] redisKeyOf(String cacheName, String key) {
    int segments = SlotcacheConfiguration.of(manager.getCache(cacheName)).getSegments();
    return new SegmentedKeyLayout(namespace, cacheName, segments).redisKey(key.getBytes(StandardCharsets.UTF_8));
  }

  /** Commands a cache operation could send. Background work (listener leases, INFO) is not among them. */
  private static final java.util.Set<String> CACHE_COMMANDS = java.util.Set.of("get", "set", "getex", "getdel",
      "exists", "del", "unlink", "mget", "evalsha", "eval", "watch", "unwatch", "multi", "exec", "pexpire",
      "persist", "getrange", "hget", "hsetnx", "hdel");

  /** Cache commands processed by the masters while {@code work} ran, from INFO commandstats. */
  private long commandsDuring(Executable work) {
    long before = cacheCommands();
    try {
      work.execute();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
    return cacheCommands() - before;
  }

  private long cacheCommands() {
    long total = 0;
    for (LocalRedisCluster.Node master : cluster.masters()) {
      try (Jedis jedis = master.connect()) {
        for (String line : jedis.info("commandstats").split("\r?\n")) {
          if (!line.startsWith("cmdstat_")) {
            continue;
          }
          String name = line.substring("cmdstat_".length(), line.indexOf(':'));
          if (CACHE_COMMANDS.contains(name)) {
            int calls = line.indexOf("calls=") + "calls=".length();
            total += Long.parseLong(line.substring(calls, line.indexOf(',', calls)));
          }
        }
      }
    }
    return total;
  }

  /** A value holding whatever the test gives it. */
  static final class Holder {
    final Object content;

    Holder(Object content) {
      this.content = content;
    }
  }
}
