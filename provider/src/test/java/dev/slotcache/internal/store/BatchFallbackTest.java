package dev.slotcache.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.slotcache.testkit.LocalRedisCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;

/**
 * Batches whose slot map is stale: a segment's slot moves to another master behind the store's back, so that the
 * segment's pipelined commands get MOVED while the other segments' succeed. The batch still gives every key's
 * answer, through single commands for the moved segment. (The cluster monitor renews the slot map within about a
 * second of a move; the batches run right after it.) On a cluster of its own, since slots are moved.
 */
class BatchFallbackTest {

  private static final int SEGMENTS = 4;
  private static final int KEYS = 40;

  private static LocalRedisCluster cluster;
  private RedisCluster redis;
  private SegmentStore store;

  @BeforeAll
  static void start() {
    cluster = LocalRedisCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private void open(String cache) {
    List<String> seeds = cluster.masters().stream().map(n -> n.host() + ":" + n.port()).toList();
    redis = new RedisCluster(new ClusterEndpoint(seeds, null, null, false, Duration.ofSeconds(2),
        Duration.ofSeconds(2), 5, Duration.ofSeconds(10), 4, "fallback-test"));
    store = new SegmentStore(redis, new SegmentedKeyLayout("fallback", cache, SEGMENTS));
  }

  @Test
  void getAllPutAllRemoveAll_segmentMovedToAnotherMaster_everyKeyAnswered() {
    open("moved");
    try {
      List<byte[]> keys = keys();
      List<byte[]> records = new ArrayList<>();
      for (byte[] key : keys) {
        records.add(("v-" + new String(key, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
      }
      store.putAll(keys, records, Ttl.PERSIST, Ttl.PERSIST);

      moveSlot(store.layout().slot(0));
      assertEqualRecords(records, store.getAll(keys));

      moveSlot(store.layout().slot(1));
      List<byte[]> updated = new ArrayList<>();
      for (byte[] record : records) {
        updated.add(("new-" + new String(record, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
      }
      store.putAll(keys, updated, Ttl.PERSIST, Ttl.PERSIST);
      assertEqualRecords(updated, store.getAll(keys));

      moveSlot(store.layout().slot(2));
      assertEquals(KEYS, store.removeAll(keys), "every key removed once, counted once");
      for (byte[] record : store.getAll(keys)) {
        assertNull(record);
      }
    } finally {
      store.clear();
      redis.close();
    }
  }

  @Test
  void clear_afterASegmentMovedToAnotherMaster_removesItsKeysToo() {
    open("moved-clear");
    try {
      List<byte[]> keys = keys();
      store.putAll(keys, keys, Ttl.PERSIST, Ttl.PERSIST);
      moveSlot(store.layout().slot(3));
      store.clear();
      for (byte[] record : store.getAll(keys)) {
        assertNull(record);
      }
    } finally {
      redis.close();
    }
  }

  private List<byte[]> keys() {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add(("k" + i).getBytes(StandardCharsets.UTF_8));
    }
    return keys;
  }

  private static void assertEqualRecords(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "key " + i);
    }
  }

  /** Moves {@code slot} and its keys (it has some) from its master to the next one, as a resharding does. */
  private static void moveSlot(int slot) {
    List<LocalRedisCluster.Node> masters = cluster.masters();
    int from = -1;
    for (int i = 0; i < masters.size(); i++) {
      try (Jedis jedis = masters.get(i).connect()) {
        if (jedis.clusterCountKeysInSlot(slot) > 0) {
          from = i;
        }
      }
    }
    assertNotEquals(-1, from, "the keys of slot " + slot + " are on one of the masters");
    LocalRedisCluster.Node source = masters.get(from);
    LocalRedisCluster.Node target = masters.get((from + 1) % masters.size());
    try (Jedis src = source.connect(); Jedis dst = target.connect()) {
      dst.clusterSetSlotImporting(slot, source.nodeId());
      src.clusterSetSlotMigrating(slot, target.nodeId());
      List<byte[]> moving = src.clusterGetKeysInSlotBinary(slot, 1000);
      src.migrate(target.host(), target.port(), 0, 5000, new MigrateParams(), moving.toArray(new byte[0][]));
      for (LocalRedisCluster.Node master : masters) {
        try (Jedis jedis = master.connect()) {
          jedis.clusterSetSlotNode(slot, target.nodeId());
        }
      }
    }
  }
}
