package dev.slotcache.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

/** Every {@link Ttl} value means what it says in the store's read-and-expire methods. */
@ExtendWith(RedisClusterExtension.class)
class SegmentStoreTtlTest {

  private RedisCluster redis;
  private SegmentStore store;
  private RedisClusterClient raw;

  @BeforeEach
  void open(LocalRedisCluster cluster) {
    List<String> seeds = cluster.masters().stream().map(n -> n.host() + ":" + n.port()).toList();
    redis = new RedisCluster(new ClusterEndpoint(seeds, null, null, false, Duration.ofSeconds(2), Duration.ofSeconds(2),
        5, Duration.ofSeconds(10), 4, "store-test"));
    store = new SegmentStore(redis, new SegmentedKeyLayout("ttl-" + UUID.randomUUID(), "c", 16));
    Set<HostAndPort> nodes = new HashSet<>();
    cluster.masters().forEach(n -> nodes.add(n.hostAndPort()));
    raw = RedisClusterClient.create(nodes);
  }

  @AfterEach
  void close() {
    store.clear();
    redis.close();
    raw.close();
  }

  @Test
  void getAndExpire_keep_readsAndLeavesTheTtl() {
    byte[] key = bytes("k");
    store.put(key, bytes("v"), 60_000, 60_000, false);
    assertArrayEquals(bytes("v"), store.getAndExpire(key, Ttl.KEEP));
    long pttl = raw.pttl(store.layout().redisKey(key));
    assertTrue(pttl > 50_000 && pttl <= 60_000, "TTL kept, was " + pttl);
  }

  @Test
  void getAllAndExpire_keep_readsAndLeavesEntriesAndTtls() {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(bytes("k" + i));
      store.put(keys.get(i), bytes("v" + i), 60_000, 60_000, false);
    }
    List<byte[]> values = store.getAllAndExpire(keys, Ttl.KEEP);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(bytes("v" + i), values.get(i));
      long pttl = raw.pttl(store.layout().redisKey(keys.get(i)));
      assertTrue(pttl > 50_000 && pttl <= 60_000, "entry " + i + " kept with its TTL, was " + pttl);
    }
    assertEquals(keys.size(), store.getAll(keys).stream().filter(v -> v != null).count());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
