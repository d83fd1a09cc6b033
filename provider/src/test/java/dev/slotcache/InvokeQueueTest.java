package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slotcache.testkit.Crowd;
import dev.slotcache.testkit.LocalRedisCluster;
import java.time.Duration;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Threads of one JVM invoking on the same key take turns instead of failing each other's compare-and-set: 8 threads
 * × 50 increments of one key commit with exactly one {@code EXEC} each (counted on the masters), none retried.
 */
class InvokeQueueTest extends ClusterTest {

  @Test
  void contendedInvokesInOneJvm_commitOnceEach_withoutConflicts() throws Exception {
    Cache<String, Integer> counters = manager.createCache("counters",
        new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
    counters.put("n", 0);
    long before = execs(cluster);
    Crowd.run(8, Duration.ofSeconds(60), t -> {
      for (int i = 0; i < 50; i++) {
        counters.invoke("n", (entry, arguments) -> {
          entry.setValue(entry.getValue() + 1);
          return null;
        });
      }
    });
    assertEquals(400, counters.get("n"));
    assertEquals(400, execs(cluster) - before, "EXECs: one per increment, no conflict retried");
  }

  /** The {@code EXEC} commands all masters have run. */
  private static long execs(LocalRedisCluster cluster) {
    long calls = 0;
    for (LocalRedisCluster.Node master : cluster.masters()) {
      try (Jedis jedis = master.connect()) {
        for (String line : jedis.info("commandstats").split("\r?\n")) {
          if (line.startsWith("cmdstat_exec:")) {
            calls += Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
          }
        }
      }
    }
    return calls;
  }
}
