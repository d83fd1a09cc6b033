package dev.slotcache.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.slotcache.LogCapture;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/** What a manager logs about the cluster it talks to: its topology when connecting, outages, failovers. */
@ExtendWith(RedisClusterExtension.class)
class ClusterMonitorTest {

  private static final String FAST = "?timeout=500ms&connect-timeout=500ms&max-attempts=1&max-retry-time=500ms";

  @Test
  void firstConnect_logsEveryMasterWithSlotsAndRedisVersion_neverThePassword(LocalRedisCluster cluster) {
    cluster.setAclUser("logu", "reset", "on", ">s3cret-pw", "~*", "&*", "+@all");
    String seeds = cluster.uri().substring("redis://".length());
    try (LogCapture log = new LogCapture();
        CacheManager manager = manager("redis://logu:s3cret-pw@" + seeds + "/monitor-connect")) {
      manager.createCache("c", new MutableConfiguration<>());
      manager.destroyCache("c");
      List<String> connected = messages(log, Level.INFO, m -> m.startsWith("connected to the Redis Cluster at"));
      assertEquals(1, connected.size(), log.all());
      String line = connected.get(0);
      assertTrue(line.contains("as user 'logu'") && line.contains(cluster.masters().size() + " masters"), line);
      for (LocalRedisCluster.Node master : cluster.masters()) {
        assertTrue(line.contains(master.hostAndPort() + " (slots "), line);
      }
      assertTrue(line.contains("Redis " + cluster.redisVersion()), line);
      assertFalse(log.all().contains("s3cret-pw"), log.all());
    } finally {
      cluster.deleteAclUser("logu");
    }
  }

  @Test
  void pausedMaster_isReportedLostOnce_thenBack() throws Exception {
    try (LocalRedisCluster own = LocalRedisCluster.start(3);
        LogCapture log = new LogCapture();
        CacheManager manager = manager(own.uri() + "/monitor-pause")) {
      manager.createCache("c", new MutableConfiguration<>());
      LocalRedisCluster.Node frozen = own.masters().get(1);
      String lost = "lost master " + frozen.hostAndPort() + " (slots ";
      own.pause(frozen);
      try {
        awaitLog(log, Level.WARN, m -> m.startsWith(lost), Duration.ofSeconds(5));
        Thread.sleep(1_500); // more rounds while it stays frozen: still one warning
      } finally {
        own.resume(frozen);
      }
      awaitLog(log, Level.INFO, m -> m.startsWith("master " + frozen.hostAndPort() + " (slots ")
          && m.contains("answers again"), Duration.ofSeconds(5));
      assertEquals(1, messages(log, Level.WARN, m -> m.startsWith(lost)).size(), log.all());
      assertTrue(log.events().stream().filter(e -> e.getFormattedMessage().startsWith(lost))
          .map(ILoggingEvent::getLoggerName).allMatch("dev.slotcache.cluster"::equals), log.all());
    }
  }

  @Test
  void failover_isReportedAsChangedMasters() throws Exception {
    try (LocalRedisCluster own = LocalRedisCluster.builder().masters(1).replicasPerMaster(1).start();
        LogCapture log = new LogCapture();
        CacheManager manager = manager(own.uri() + "/monitor-failover")) {
      manager.createCache("c", new MutableConfiguration<>());
      LocalRedisCluster.Node master = own.masters().get(0);
      LocalRedisCluster.Node replica = own.replicas().get(0);
      try (Jedis jedis = replica.connect()) {
        jedis.clusterFailover();
      }
      awaitLog(log, Level.WARN, m -> m.startsWith("the masters of the Redis Cluster at")
          && m.contains("now " + replica.hostAndPort() + " (slots 0-16383)") && m.contains("new: " + replica.hostAndPort())
          && m.contains("gone: " + master.hostAndPort()), Duration.ofSeconds(8));
    }
  }

  @Test
  void belowFloor_olderThanRedis62() {
    assertTrue(ClusterMonitor.belowFloor("6.0.16"));
    assertTrue(ClusterMonitor.belowFloor("5.0.14"));
    assertFalse(ClusterMonitor.belowFloor("6.2.0"));
    assertFalse(ClusterMonitor.belowFloor("7.4.1"));
    assertFalse(ClusterMonitor.belowFloor("unknown"));
  }

  private static CacheManager manager(String uri) {
    return new SlotcacheCachingProvider().getCacheManager(URI.create(uri + FAST),
        ClusterMonitorTest.class.getClassLoader(), new Properties());
  }

  private static List<String> messages(LogCapture log, Level level, Predicate<String> test) {
    return log.messages(level).stream().filter(test).toList();
  }

  private static void awaitLog(LogCapture log, Level level, Predicate<String> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!log.has(level, test) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(log.has(level, test), "not logged within " + timeout + ":\n" + log.all());
  }
}
