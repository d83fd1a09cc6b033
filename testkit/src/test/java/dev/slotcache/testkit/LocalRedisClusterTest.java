package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

class LocalRedisClusterTest {

  @Test
  void start_threeMasters_servesEverySlot_andCloseLeavesNoProcess() {
    List<Long> pids;
    try (LocalRedisCluster cluster = LocalRedisCluster.start(3)) {
      assertEquals(3, cluster.masters().size());
      pids = cluster.pids();
      assertEquals(3, pids.size(), "one redis-server per node");
      try (Jedis jedis = cluster.connect(cluster.masters().get(0))) {
        assertTrue(jedis.clusterInfo().contains("cluster_state:ok"));
        assertTrue(jedis.clusterInfo().contains("cluster_slots_assigned:16384"));
      }
      Set<HostAndPort> seeds = new HashSet<>();
      cluster.masters().forEach(n -> seeds.add(n.hostAndPort()));
      try (RedisClusterClient client = RedisClusterClient.create(seeds)) {
        for (int i = 0; i < 100; i++) {
          client.set("key" + i, "v" + i);
        }
        for (int i = 0; i < 100; i++) {
          assertEquals("v" + i, client.get("key" + i));
        }
      }
      long perMaster = 0;
      for (LocalRedisCluster.Node master : cluster.masters()) {
        try (Jedis jedis = cluster.connect(master)) {
          long size = jedis.dbSize();
          assertTrue(size > 0, "keys on every master");
          perMaster += size;
        }
      }
      assertEquals(100, perMaster);
    }
    assertGone(pids);
  }

  @Test
  void start_withReplicas_replicasFollowTheirMasters() {
    try (LocalRedisCluster cluster = LocalRedisCluster.builder().masters(3).replicasPerMaster(1).start()) {
      assertEquals(3, cluster.replicas().size());
      for (LocalRedisCluster.Node replica : cluster.replicas()) {
        try (Jedis jedis = cluster.connect(replica)) {
          assertTrue(jedis.info("replication").contains("role:slave"));
        }
      }
    }
  }

  @Test
  void config_isAppliedToEveryNode() {
    try (LocalRedisCluster cluster = LocalRedisCluster.builder().masters(1).config("notify-keyspace-events", "Ex")
        .start()) {
      try (Jedis jedis = cluster.connect(cluster.masters().get(0))) {
        String flags = jedis.configGet("notify-keyspace-events").values().iterator().next();
        assertTrue(flags.contains("E") && flags.contains("x"), flags);
      }
    }
  }

  @Test
  void killedOwnerJvm_leavesNoRedisProcessBehind() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OrphanMain.class.getName())
        .redirectErrorStream(true).start();
    List<Long> pids = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("pids ")) {
          for (String pid : line.substring(5).split(",")) {
            pids.add(Long.parseLong(pid.trim()));
          }
          break;
        }
      }
      assertEquals(3, pids.size(), "the child started a cluster");
      for (long pid : pids) {
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    }
    assertGone(pids);
  }

  @Test
  @ExtendWith(RedisClusterExtension.class)
  void extension_sharesOneClusterPerRun(LocalRedisCluster first, LocalRedisCluster second) {
    assertTrue(first == second);
    assertFalse(first.masters().isEmpty());
  }

  private static void assertGone(List<Long> pids) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (long pid : pids) {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "redis-server " + pid + " still runs");
    }
  }

  /** Started in a child JVM by the orphan test. */
  public static final class OrphanMain {
    public static void main(String[] args) throws InterruptedException {
      LocalRedisCluster cluster = LocalRedisCluster.start(3);
      System.out.println("pids " + cluster.pids().toString().replaceAll("[\\[\\] ]", ""));
      System.out.flush();
      Thread.sleep(60_000);
    }
  }
}
