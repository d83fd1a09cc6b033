package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/** A second class using the extension: it must get the very cluster the first one got. */
@ExtendWith(RedisClusterExtension.class)
class RedisClusterExtensionOtherClassTest {

  @Test
  void secondTestClass_reusesTheSharedCluster(LocalRedisCluster cluster) {
    RedisClusterExtensionTest.record(cluster);
    try (Jedis jedis = cluster.masters().get(0).connect()) {
      assertEquals("PONG", jedis.ping());
    }
  }
}
