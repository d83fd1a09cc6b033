package dev.slotcache.internal.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slotcache.ClusterTest;
import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.testkit.LocalRedisCluster;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What single-flight costs, counted in commands the masters receive ({@code MONITOR}), each sent in a round trip of
 * its own: a hit costs what it costs without it (one {@code GET}); a read-through miss one command more than
 * without it (the lease taken; it is given back by the command that stores the loaded value); an {@code invoke} on a
 * missing entry one round trip more (the lease taken; the entry then created by the script that gives it back).
 */
class SingleFlightRoundTripsTest extends ClusterTest {

  /** Loads "value of <key>" at once. */
  public static final class QuickLoader implements CacheLoader<String, String>, java.io.Serializable {
    @Override
    public String load(String key) {
      return "value of " + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      throw new UnsupportedOperationException();
    }
  }

  private Cache<String, String> readThrough(String name, boolean singleFlight) {
    SlotcacheConfiguration<String, String> configuration = new SlotcacheConfiguration<>();
    configuration.setTypes(String.class, String.class).setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(QuickLoader.class));
    Cache<String, String> cache = manager.createCache(name, configuration.setSingleFlight(singleFlight));
    for (int i = 0; i < 30; i++) { // scripts loaded on every master, connections open
      cache.get("warm-up-" + i);
      cache.invoke("warm-up-invoke-" + i, (entry, arguments) -> {
        entry.setValue("x");
        return null;
      });
    }
    return cache;
  }

  @Test
  void aHit_costsOneCommand_aMissOneMoreThanWithoutSingleFlight() throws Exception {
    Cache<String, String> once = readThrough("once", true);
    Cache<String, String> each = readThrough("each", false);
    try (Counter counter = new Counter(cluster)) {
      assertEquals(2, counter.fewest(n -> each.get("a" + n)), "a miss without single-flight: GET, SET NX");
      assertEquals(3, counter.fewest(n -> once.get("a" + n)), "a miss with it: GET, the lease, SET NX and release");
      assertEquals(1, counter.fewest(n -> once.get("a" + n)), "a hit: GET");
      assertEquals(1, counter.fewest(n -> each.get("a" + n)), "a hit: GET");
    }
  }

  @Test
  void invokeOnAMissingEntry_costsOneCommandMoreThanWithoutSingleFlight() throws Exception {
    Cache<String, String> once = readThrough("invokeOnce", true);
    Cache<String, String> each = readThrough("invokeEach", false);
    javax.cache.processor.EntryProcessor<String, String, Void> create = (entry, arguments) -> {
      entry.setValue("created");
      return null;
    };
    try (Counter counter = new Counter(cluster)) {
      // Without single-flight: UNWATCH, WATCH, GET | MULTI, SET, EXEC — two round trips.
      assertEquals(6, counter.fewest(n -> each.invoke("b" + n, create)));
      // With it: UNWATCH, WATCH, GET | the lease | SET NX and the lease given back (one script) — three; the
      // processor runs between the last two, holding no connection.
      assertEquals(5, counter.fewest(n -> once.invoke("b" + n, create)), "the lease, then the creation");
      assertEquals(6, counter.fewest(n -> once.invoke("b" + n, create)), "on an existing entry: nothing more");
    }
  }

  /**
   * Counts the commands clients send to all masters (through {@code MONITOR}, leaving out a script's own calls,
   * which it marks {@code lua}) while an operation runs: the fewest over 5 runs (on keys 0 to 4), so that a background
   * command of the manager (its topology check) does not count.
   */
  private static final class Counter implements AutoCloseable {
    private final java.util.List<Jedis> monitors = new java.util.ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

    Counter(LocalRedisCluster cluster) throws InterruptedException {
      java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(cluster.masters().size());
      for (LocalRedisCluster.Node master : cluster.masters()) {
        Jedis jedis = master.connect();
        monitors.add(jedis);
        threads.execute(() -> {
          try {
            jedis.monitor(new redis.clients.jedis.JedisMonitor() {
              @Override
              public void onCommand(String command) {
                if (!command.contains(" lua]")) {
                  seen.incrementAndGet();
                }
              }
            });
          } catch (RuntimeException e) {
            // closed
          }
        });
        threads.execute(started::countDown);
      }
      started.await();
      Thread.sleep(200); // MONITOR is on
    }

    long fewest(java.util.function.IntConsumer operation) throws InterruptedException {
      long fewest = Long.MAX_VALUE;
      for (int n = 0; n < 5; n++) {
        long before = seen.get();
        operation.accept(n);
        Thread.sleep(50); // the monitors' lines arrive
        fewest = Math.min(fewest, seen.get() - before);
      }
      return fewest;
    }

    @Override
    public void close() {
      monitors.forEach(jedis -> {
        try {
          jedis.getConnection().disconnect();
        } catch (RuntimeException e) {
          // already gone
        }
      });
      threads.shutdownNow();
    }
  }
}
