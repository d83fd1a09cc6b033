package dev.slotcache.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.LocalRedisServer;
import dev.slotcache.testkit.RedisClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the first operation of a manager says when it cannot connect: one row per cause, each against a real
 * server (or a real absence of one), with short timeouts so that every row fails fast.
 */
@ExtendWith(RedisClusterExtension.class)
class ConnectionErrorsTest {

  private static final String USER = "u9";
  private static final String FAST = "?timeout=500ms&connect-timeout=500ms&max-attempts=1&max-retry-time=500ms";

  private static LocalRedisCluster cluster;
  private static LocalRedisServer standalone;

  @BeforeAll
  static void start(LocalRedisCluster shared) {
    cluster = shared;
    cluster.setAclUser(USER, "reset", "on", ">right", "~*", "&*", "+@all");
    standalone = LocalRedisServer.start();
  }

  @AfterAll
  static void stop() {
    cluster.deleteAclUser(USER);
    if (standalone != null) {
      standalone.close();
    }
  }

  /** One way of failing to connect: the URI to try and what the message must then say. */
  record Row(String name, Supplier<String> uri, Supplier<String> reason) {
  }

  private static String seeds() {
    return cluster.uri().substring("redis://".length());
  }

  private static String standaloneSeed() {
    return standalone.hostAndPort().toString();
  }

  private static final int CLOSED_PORT = freePort();

  private static final List<Row> ROWS = List.of(
      new Row("wrong password", () -> "redis://" + USER + ":wrong@" + seeds(),
          () -> "authentication failed for user '" + USER + "'"),
      new Row("server without cluster mode", () -> standalone.uri(),
          () -> "the node at " + standaloneSeed() + " is not in cluster mode"),
      new Row("unknown host", () -> "redis://no-such-host.invalid:6379",
          () -> "unknown host 'no-such-host.invalid'"),
      new Row("closed port", () -> "redis://127.0.0.1:" + CLOSED_PORT,
          () -> "connection refused on 127.0.0.1:" + CLOSED_PORT + " (is a node running there?)"),
      new Row("TLS to a plain port", () -> "rediss://" + cluster.masters().get(0).hostAndPort(),
          () -> "TLS handshake with " + cluster.masters().get(0).hostAndPort() + " failed"),
      new Row("node that answers nothing", () -> standalone.uri(),
          () -> "no answer from " + standaloneSeed() + " within 500 ms"));

  @TestFactory
  Stream<DynamicTest> createCache_cannotConnect_saysWhyWithCacheAndOperation() {
    return ROWS.stream().map(row -> DynamicTest.dynamicTest(row.name(), () -> {
      boolean freeze = row.name().equals("node that answers nothing");
      if (freeze) {
        standalone.pause();
      }
      try {
        CacheException thrown = createCacheFails(row.uri().get());
        String message = thrown.getMessage();
        String seeds = row.uri().get().replaceFirst("^(rediss?://)([^@/]*@)?", "$1");
        assertTrue(message.startsWith("cache 'orders': createCache failed: cannot reach the Redis Cluster at "
            + seeds + " — "), message);
        assertTrue(message.contains(row.reason().get()), message);
        assertFalse(message.contains("Could not initialize cluster slots cache"), message);
        assertFalse(thrown.getClass().getName().startsWith("redis.clients"), thrown.getClass().getName());
        for (Throwable t = thrown; t != null; t = t.getCause()) {
          if (!t.getClass().getName().startsWith("redis.clients")) {
            assertFalse(t.getMessage() != null && t.getMessage().contains("wrong"), "password in: " + t);
          }
        }
      } finally {
        if (freeze) {
          standalone.resume();
        }
      }
    }));
  }

  @Test
  void getCache_cannotConnect_namesThatOperation() {
    try (CacheManager manager = manager("redis://127.0.0.1:" + CLOSED_PORT)) {
      CacheException thrown = assertThrows(CacheException.class, () -> manager.getCache("orders"));
      assertTrue(thrown.getMessage().startsWith("cache 'orders': getCache failed: cannot reach the Redis Cluster at "
          + "redis://127.0.0.1:" + CLOSED_PORT + " — connection refused"), thrown.getMessage());
    }
  }

  @Test
  void rightPassword_connects() {
    try (CacheManager manager = manager("redis://" + USER + ":right@" + seeds() + "/errors-ok")) {
      manager.createCache("orders", new MutableConfiguration<String, String>()).put("k", "v");
      assertEquals("v", manager.<String, String>getCache("orders").get("k"));
      manager.destroyCache("orders");
    }
  }

  private static CacheException createCacheFails(String uri) {
    try (CacheManager manager = manager(uri)) {
      return assertThrows(CacheException.class, () -> manager.createCache("orders", new MutableConfiguration<>()));
    }
  }

  private static CacheManager manager(String uri) {
    String withOptions = uri + (uri.contains("/errors-") ? "" : "/errors") + FAST;
    return new SlotcacheCachingProvider().getCacheManager(URI.create(withOptions),
        ConnectionErrorsTest.class.getClassLoader(), new Properties());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
