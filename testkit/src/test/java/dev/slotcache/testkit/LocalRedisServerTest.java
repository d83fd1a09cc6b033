package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

class LocalRedisServerTest {

  @Test
  void start_servesWithClusterModeOff_andCloseWhilePausedStopsItAtOnce() throws InterruptedException {
    LocalRedisServer server = LocalRedisServer.start();
    long pid = server.pid();
    Path dir = server.directory();
    try {
      assertEquals("redis://127.0.0.1:" + server.hostAndPort().getPort(), server.uri());
      try (Jedis jedis = server.connect()) {
        assertEquals("PONG", jedis.ping());
        assertEquals("0", LocalRedisCluster.infoField(jedis.info("cluster"), "cluster_enabled"));
        JedisDataException refused = assertThrows(JedisDataException.class, jedis::clusterInfo);
        assertTrue(refused.getMessage().contains("cluster support disabled"), refused.getMessage());
      }

      server.pause();
      // The kernel still accepts the connection; the server answers nothing (Jedis' constructor already asks).
      assertThrows(JedisConnectionException.class, () -> {
        try (Jedis frozen = new Jedis(server.hostAndPort(),
            DefaultJedisClientConfig.builder().socketTimeoutMillis(300).build())) {
          frozen.ping();
        }
      });
      server.resume();
      try (Jedis jedis = server.connect()) {
        assertEquals("PONG", jedis.ping());
      }
      server.pause();
    } finally {
      long start = System.nanoTime();
      server.close();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 5_000, "a paused server is resumed, not waited for: close took " + millis + " ms");
    }
    Processes.assertAllEnd(List.of(pid), Duration.ofSeconds(2), "redis-server");
    assertFalse(Files.exists(dir), "temp dir deleted");
    assertTrue(server.isClosed());
  }
}
