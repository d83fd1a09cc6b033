package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

@ExtendWith(RedisClusterExtension.class)
class RedisClusterExtensionTest {

  /** Every instance any extension-driven test class saw; one cluster per JVM means one entry. */
  static final Set<LocalRedisCluster> SEEN = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  private static LocalRedisCluster fromBeforeAll;
  private final LocalRedisCluster fromConstructor;

  RedisClusterExtensionTest(LocalRedisCluster cluster) {
    this.fromConstructor = cluster;
  }

  @BeforeAll
  static void beforeAll(LocalRedisCluster cluster) {
    fromBeforeAll = cluster;
  }

  static void record(LocalRedisCluster cluster) {
    SEEN.add(cluster);
    assertEquals(1, SEEN.size(), "one shared cluster per JVM, saw " + SEEN);
  }

  @Test
  void injects_theSameClusterIntoConstructorBeforeAllAndTests(LocalRedisCluster cluster) {
    assertSame(fromBeforeAll, cluster);
    assertSame(fromConstructor, cluster);
    record(cluster);
  }

  @Test
  void sharedCluster_hasThreeReadyMasters(LocalRedisCluster cluster) {
    record(cluster);
    assertEquals(3, cluster.masters().size());
    try (Jedis jedis = cluster.masters().get(2).connect()) {
      assertEquals("ok", LocalRedisCluster.infoField(jedis.clusterInfo(), "cluster_state"));
    }
  }
}
