package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.LocalRedisCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** One cache is spread evenly over all masters. */
class DistributionTest extends ClusterTest {

  @Test
  void put_30000EntriesInOneCache_busiestMasterHoldsAtMost115PercentOfLeast() {
    Cache<Integer, String> cache = manager.createCache("spread", new MutableConfiguration<>());
    Map<Integer, String> batch = new HashMap<>();
    for (int i = 0; i < 30_000; i++) {
      batch.put(i, "v");
      if (batch.size() == 1_000) {
        cache.putAll(batch);
        batch.clear();
      }
    }
    List<Long> perMaster = new ArrayList<>();
    for (LocalRedisCluster.Node master : cluster.masters()) {
      perMaster.add(countKeys(master, namespace + ":{spread:*"));
    }
    long total = perMaster.stream().mapToLong(Long::longValue).sum();
    assertEquals(30_000, total, "keys per master: " + perMaster);
    long max = perMaster.stream().mapToLong(Long::longValue).max().orElseThrow();
    long min = perMaster.stream().mapToLong(Long::longValue).min().orElseThrow();
    assertTrue(max <= 1.15 * min, "keys per master " + perMaster + ": max/min = " + (double) max / min);
  }

  private long countKeys(LocalRedisCluster.Node node, String pattern) {
    try (Jedis jedis = node.connect()) {
      long count = 0;
      String cursor = ScanParams.SCAN_POINTER_START;
      ScanParams params = new ScanParams().match(pattern).count(1_000);
      do {
        ScanResult<String> page = jedis.scan(cursor, params);
        count += page.getResult().size();
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return count;
    }
  }
}
