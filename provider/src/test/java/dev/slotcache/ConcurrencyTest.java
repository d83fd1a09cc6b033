package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** Atomicity across threads and CacheManagers (independent connections, as two JVMs would have). */
class ConcurrencyTest extends ClusterTest {

  private static final int THREADS = 8;
  private static final int INCREMENTS = 2_000;

  @Test
  void invoke_concurrentIncrementsOfOneKey_loseNoUpdate() throws Exception {
    Cache<String, Integer> cache = manager.createCache("counters", new MutableConfiguration<String, Integer>()
        .setTypes(String.class, Integer.class));
    run(THREADS, thread -> {
      for (int i = 0; i < INCREMENTS; i++) {
        cache.invoke("counter", (entry, args) -> {
          entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
          return null;
        });
      }
    });
    assertEquals(THREADS * INCREMENTS, cache.get("counter"));
  }

  @Test
  void replace_casLoopsFromTwoManagers_loseNoUpdate() throws Exception {
    Cache<String, Long> first = manager.createCache("cas", new MutableConfiguration<String, Long>()
        .setTypes(String.class, Long.class));
    first.put("n", 0L);
    // A second manager on the same namespace: its own connections, like another JVM.
    var secondManager = new dev.slotcache.spi.SlotcacheCachingProvider().getCacheManager(clusterUri(namespace),
        getClass().getClassLoader());
    try {
      Cache<String, Long> second = secondManager.getCache("cas", String.class, Long.class);
      int perThread = 500;
      run(THREADS, thread -> {
        Cache<String, Long> cache = thread % 2 == 0 ? first : second;
        for (int i = 0; i < perThread; i++) {
          while (true) {
            Long current = cache.get("n");
            if (cache.replace("n", current, current + 1)) {
              break;
            }
          }
        }
      });
      assertEquals((long) THREADS * perThread, first.get("n"));
    } finally {
      secondManager.close();
    }
  }

  @Test
  void putIfAbsent_racingThreads_exactlyOneWins() throws Exception {
    Cache<String, Integer> cache = manager.createCache("race", new MutableConfiguration<>());
    for (int round = 0; round < 20; round++) {
      String key = "k" + round;
      int[] wins = new int[1];
      run(THREADS, thread -> {
        if (cache.putIfAbsent(key, thread)) {
          synchronized (wins) {
            wins[0]++;
          }
        }
      });
      assertEquals(1, wins[0], key);
    }
  }

  interface Work {
    void run(int thread) throws Exception;
  }

  static void run(int threads, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          work.run(thread);
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
