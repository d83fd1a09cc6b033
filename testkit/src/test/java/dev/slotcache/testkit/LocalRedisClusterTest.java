package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

class LocalRedisClusterTest {

  /** Shared by the tests that only read or use distinct keys; own clusters where the lifecycle is the point. */
  private static LocalRedisCluster shared;
  private static List<Long> sharedPids;

  @BeforeAll
  static void startShared() {
    long start = System.nanoTime();
    shared = LocalRedisCluster.start(3);
    System.out.printf("3-master cluster started in %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, shared);
    sharedPids = shared.pids();
  }

  @AfterAll
  static void closeShared() throws InterruptedException {
    if (shared != null) {
      Path dir = shared.directory();
      long start = System.nanoTime();
      shared.close();
      System.out.printf("closed in %d ms%n", (System.nanoTime() - start) / 1_000_000);
      Processes.assertAllEnd(sharedPids, Duration.ofSeconds(2), "redis-server");
      assertFalse(Files.exists(dir), "temp dir deleted");
    }
  }

  @Test
  void start_threeMasters_coversAllSlots() {
    assertEquals(3, shared.masters().size());
    assertEquals(3, shared.nodes().size());
    assertEquals(3, sharedPids.size(), "one redis-server per node");
    for (long pid : sharedPids) {
      assertTrue(Processes.isAlive(pid));
    }
    try (Jedis jedis = shared.masters().get(0).connect()) {
      List<ClusterNode> view = ClusterNode.parseAll(jedis.clusterNodes());
      Map<Integer, Integer> slotsByPort = new HashMap<>();
      view.forEach(n -> slotsByPort.put(n.port(), n.slots()));
      int total = 0;
      for (LocalRedisCluster.Node master : shared.masters()) {
        int slots = slotsByPort.get(master.port());
        assertTrue(slots == 5461 || slots == 5462, "even split, was " + slots);
        total += slots;
      }
      assertEquals(LocalRedisCluster.SLOTS, total);
      assertEquals(0, view.stream().filter(n -> n.isMaster()).mapToInt(ClusterNode::firstSlot).min().orElseThrow());
    }
  }

  @Test
  void clusterInfo_everyNode_reportsOkAndAllSlotsAssigned() {
    for (LocalRedisCluster.Node node : shared.nodes()) {
      try (Jedis jedis = node.connect()) {
        String info = jedis.clusterInfo();
        assertEquals("ok", LocalRedisCluster.infoField(info, "cluster_state"), info);
        assertEquals("16384", LocalRedisCluster.infoField(info, "cluster_slots_assigned"), info);
        assertEquals("3", LocalRedisCluster.infoField(info, "cluster_known_nodes"), info);
        assertEquals(node.nodeId(), jedis.clusterMyId());
      }
    }
  }

  @Test
  void uri_listsEveryMasterOnLoopback() {
    String expected = "redis://" + shared.masters().stream().map(n -> "127.0.0.1:" + n.port())
        .collect(Collectors.joining(","));
    assertEquals(expected, shared.uri());
    for (LocalRedisCluster.Node node : shared.nodes()) {
      assertTrue(node.port() >= 10000 && node.port() < 20000, "port " + node.port());
    }
  }

  @Test
  void redisVersion_matchesTheRunningServer() {
    try (Jedis jedis = shared.masters().get(0).connect()) {
      assertEquals(LocalRedisCluster.infoField(jedis.info("server"), "redis_version"), shared.redisVersion());
    }
    String[] parts = shared.redisVersion().split("\\.");
    int major = Integer.parseInt(parts[0]);
    assertTrue(major > 6 || (major == 6 && Integer.parseInt(parts[1]) >= 2), shared.redisVersion());
    assertTrue(Files.isExecutable(shared.redisServerBinary()));
  }

  @Test
  void clusterClient_setAndGet_keysInDifferentSlots() {
    Set<HostAndPort> seeds = new HashSet<>();
    shared.masters().forEach(n -> seeds.add(n.hostAndPort()));
    Set<Integer> slots = new HashSet<>();
    try (RedisClusterClient client = RedisClusterClient.create(seeds)) {
      for (int i = 0; i < 200; i++) {
        client.set("rw:" + i, "v" + i);
        slots.add(JedisClusterCRC16.getSlot("rw:" + i));
      }
      for (int i = 0; i < 200; i++) {
        assertEquals("v" + i, client.get("rw:" + i));
      }
    }
    assertTrue(slots.size() > 100, "keys spread over many slots, got " + slots.size());
    for (LocalRedisCluster.Node master : shared.masters()) {
      try (Jedis jedis = master.connect()) {
        assertFalse(jedis.keys("rw:*").isEmpty(), "every master holds some of the keys");
      }
    }
  }

  @Test
  void flushAll_removesKeysFromEveryMaster() {
    Set<HostAndPort> seeds = Set.of(shared.masters().get(0).hostAndPort());
    try (RedisClusterClient client = RedisClusterClient.create(seeds)) {
      for (int i = 0; i < 50; i++) {
        client.set("flush:" + i, "x");
      }
      shared.flushAll();
      for (int i = 0; i < 50; i++) {
        assertNull(client.get("flush:" + i));
      }
    }
    for (LocalRedisCluster.Node master : shared.masters()) {
      try (Jedis jedis = master.connect()) {
        assertEquals(0, jedis.dbSize());
      }
    }
  }

  @Test
  void attach_readsTheTopology_andCloseStopsNothing() {
    LocalRedisCluster attached = LocalRedisCluster.attach(shared.uri() + "/some-path?x=1");
    assertEquals(shared.masters(), attached.masters());
    assertEquals(shared.uri(), attached.uri());
    assertEquals(shared.redisVersion(), attached.redisVersion());
    assertTrue(attached.pids().isEmpty());
    assertThrows(IllegalStateException.class, attached::redisServerBinary);
    attached.close();
    assertTrue(attached.isClosed());
    for (long pid : sharedPids) {
      assertTrue(Processes.isAlive(pid), "closing an attached cluster stops nothing");
    }
  }

  @Test
  void attach_unreachable_failsNamingTheUri() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LocalRedisCluster.attach("redis://127.0.0.1:1"));
    assertTrue(e.getMessage().contains("redis://127.0.0.1:1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LocalRedisCluster.attach("http://127.0.0.1:1"));
    assertThrows(IllegalArgumentException.class, () -> LocalRedisCluster.attach("redis://user:pw@127.0.0.1:1"));
  }

  @Test
  void start_withOneReplicaPerMaster_reachesOkAndReplicasAreSlaves() {
    try (LocalRedisCluster cluster = LocalRedisCluster.builder().masters(3).replicasPerMaster(1).start()) {
      assertEquals(3, cluster.masters().size());
      assertEquals(3, cluster.replicas().size());
      assertEquals(6, cluster.pids().size());
      Set<String> masterIds = cluster.masters().stream().map(LocalRedisCluster.Node::nodeId)
          .collect(Collectors.toSet());
      Set<String> followed = new HashSet<>();
      for (LocalRedisCluster.Node replica : cluster.replicas()) {
        try (Jedis jedis = replica.connect()) {
          String replication = jedis.info("replication");
          assertEquals("slave", LocalRedisCluster.infoField(replication, "role"), replication);
          assertEquals("up", LocalRedisCluster.infoField(replication, "master_link_status"), replication);
          assertEquals("ok", LocalRedisCluster.infoField(jedis.clusterInfo(), "cluster_state"));
          ClusterNode me = ClusterNode.parseAll(jedis.clusterNodes()).stream().filter(ClusterNode::isMyself)
              .findFirst().orElseThrow();
          followed.add(me.masterId());
        }
      }
      assertEquals(masterIds, followed, "each master has its own replica");

      try (RedisClusterClient client = RedisClusterClient.create(cluster.masters().get(0).hostAndPort())) {
        client.set("replicated", "yes");
      }
      cluster.flushAll();
      for (LocalRedisCluster.Node node : cluster.nodes()) {
        try (Jedis jedis = node.connect()) {
          assertEquals(0, jedis.dbSize(), "flushAll reached " + node);
        }
      }
    }
  }

  @Test
  void close_stopsEveryProcess_deletesTempDir_andIsIdempotent() throws InterruptedException {
    LocalRedisCluster cluster = LocalRedisCluster.start(2);
    List<Long> pids = new ArrayList<>(cluster.pids());
    pids.addAll(cluster.watchdogPids());
    Path dir = cluster.directory();
    assertTrue(Files.isDirectory(dir));
    assertEquals(4, pids.size());

    cluster.close();
    assertTrue(cluster.isClosed());
    Processes.assertAllEnd(pids, Duration.ofSeconds(1), "process");
    assertFalse(Files.exists(dir), "temp dir " + dir + " deleted");
    cluster.close();
  }

  @Test
  void config_extraLines_reachEveryNode() {
    try (LocalRedisCluster cluster = LocalRedisCluster.builder().masters(2)
        .config("notify-keyspace-events", "Ex")
        .config("maxmemory-policy", "allkeys-lru")
        .clusterNodeTimeout(Duration.ofSeconds(3))
        .start()) {
      for (LocalRedisCluster.Node node : cluster.nodes()) {
        try (Jedis jedis = node.connect()) {
          String events = jedis.configGet("notify-keyspace-events").get("notify-keyspace-events");
          assertTrue(events.contains("E") && events.contains("x"), events);
          assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
          assertEquals("3000", jedis.configGet("cluster-node-timeout").get("cluster-node-timeout"));
        }
      }
    }
  }

  @Test
  void start_withBadConfig_failsWithTheLogTail_andLeavesNoProcess() {
    LocalRedisCluster.Builder builder = LocalRedisCluster.builder().masters(2).config("maxmemory-policy", "nonsense");
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::start);
    assertTrue(e.getMessage().contains("did not start"), e.getMessage());
    assertTrue(e.getMessage().contains("nonsense"), "the message quotes the server's complaint: " + e.getMessage());
  }

  @Test
  void builder_rejectsManagedKeysAndBadArguments() {
    LocalRedisCluster.Builder builder = LocalRedisCluster.builder();
    for (String key : List.of("port", "PORT", "dir", "logfile", "cluster-enabled", "cluster-config-file", "bind")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> builder.config(key, "1"));
      assertTrue(e.getMessage().contains("set by the test kit"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> builder.config("two words", "x"));
    assertThrows(IllegalArgumentException.class, () -> builder.config("maxmemory", "1\nport 1"));
    assertThrows(IllegalArgumentException.class, () -> builder.masters(0));
    assertThrows(IllegalArgumentException.class, () -> builder.replicasPerMaster(-1));
    assertThrows(IllegalArgumentException.class, () -> builder.startTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> builder.clusterNodeTimeout(Duration.ofMillis(5)));
  }
}
