package dev.slotcache.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The showcase runs against a user's own cluster ({@code SLOTCACHE_URI}): it must take away what it brought. */
@ExtendWith(RedisClusterExtension.class)
class ShowcaseTest {

  @Test
  void run_leavesNoKeyItCreated(LocalRedisCluster cluster) throws Exception {
    Set<String> before = keys(cluster);

    Showcase.run(cluster.uri());

    Set<String> left = keys(cluster);
    left.removeAll(before);
    assertEquals(Set.of(), left, "keys the showcase created and left behind");
  }

  /** Every key on every master (ISO-8859-1, so that binary keys compare exactly). */
  private static Set<String> keys(LocalRedisCluster cluster) {
    Set<String> keys = new TreeSet<>();
    for (LocalRedisCluster.Node master : cluster.masters()) {
      try (Jedis node = master.connect()) {
        ScanResult<byte[]> page = node.scan(ScanParams.SCAN_POINTER_START_BINARY, new ScanParams().count(1_000));
        page.getResult().forEach(key -> keys.add(new String(key, StandardCharsets.ISO_8859_1)));
        while (!page.isCompleteIteration()) {
          page = node.scan(page.getCursorAsBytes(), new ScanParams().count(1_000));
          page.getResult().forEach(key -> keys.add(new String(key, StandardCharsets.ISO_8859_1)));
        }
      }
    }
    return keys;
  }
}
