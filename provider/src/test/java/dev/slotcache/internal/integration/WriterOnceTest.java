package dev.slotcache.internal.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import dev.slotcache.testkit.Crowd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.Test;

/**
 * The writer is called exactly once for each change the cache applies, and never for one it does not: contended
 * {@code invoke}, {@code replace(k, old, new)} and {@code putIfAbsent} from two managers (as two JVMs) × 4 threads.
 */
class WriterOnceTest extends ClusterTest {

  private static final int THREADS_PER_MANAGER = 4;

  /** Records every value written, per key, in the order the writer is called. */
  public static final class RecordingWriter implements CacheWriter<String, Integer>, java.io.Serializable {
    static final Map<String, List<Integer>> WRITES = new ConcurrentHashMap<>();

    @Override
    public void write(Cache.Entry<? extends String, ? extends Integer> entry) {
      WRITES.computeIfAbsent(entry.getKey(), k -> Collections.synchronizedList(new ArrayList<>()))
          .add(entry.getValue());
    }

    @Override
    public void writeAll(Collection<Cache.Entry<? extends String, ? extends Integer>> entries) {
      entries.forEach(this::write);
      entries.clear();
    }

    @Override
    public void delete(Object key) {
    }

    @Override
    public void deleteAll(Collection<?> keys) {
      keys.clear();
    }
  }

  private List<Cache<String, Integer>> twoJvms(String name) {
    RecordingWriter.WRITES.clear();
    MutableConfiguration<String, Integer> configuration = new MutableConfiguration<String, Integer>()
        .setTypes(String.class, Integer.class).setWriteThrough(true)
        .setCacheWriterFactory(FactoryBuilder.factoryOf(RecordingWriter.class));
    return List.of(manager.createCache(name, configuration),
        secondJvm(clusterUri(namespace)).createCache(name, configuration));
  }

  @Test
  void contendedInvoke_callsTheWriterOncePerIncrement_inTheOrderApplied() throws Exception {
    List<Cache<String, Integer>> caches = twoJvms("counters");
    int perThread = 40;
    run(caches, cache -> {
      for (int i = 0; i < perThread; i++) {
        cache.invoke("counter", (entry, arguments) -> {
          entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
          return null;
        });
      }
    });
    int total = perThread * THREADS_PER_MANAGER * 2;
    assertEquals(total, caches.get(0).get("counter"));
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      expected.add(i);
    }
    assertEquals(expected, RecordingWriter.WRITES.get("counter"), "each applied value once, in order");
  }

  @Test
  void contendedReplaceOfAnExpectedValue_callsTheWriterOnlyForReplacementsThatApplied() throws Exception {
    List<Cache<String, Integer>> caches = twoJvms("replaced");
    caches.get(0).put("n", 0);
    RecordingWriter.WRITES.clear();
    AtomicInteger applied = new AtomicInteger();
    run(caches, cache -> {
      for (int i = 0; i < 40; i++) {
        Integer seen = cache.get("n");
        if (cache.replace("n", seen, seen + 1)) {
          applied.incrementAndGet();
        }
      }
    });
    assertTrue(applied.get() > 0);
    assertEquals(applied.get(), caches.get(0).get("n"));
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= applied.get(); i++) {
      expected.add(i);
    }
    assertEquals(expected, RecordingWriter.WRITES.get("n"), "a write for each replacement that applied, none else");
  }

  @Test
  void contendedPutIfAbsent_callsTheWriterOnceWithTheValueThatWon() throws Exception {
    List<Cache<String, Integer>> caches = twoJvms("created");
    int rounds = 20;
    Map<String, Integer> winners = new ConcurrentHashMap<>();
    AtomicInteger threadNumbers = new AtomicInteger();
    run(caches, cache -> {
      int me = threadNumbers.incrementAndGet();
      for (int round = 0; round < rounds; round++) {
        if (cache.putIfAbsent("k" + round, me)) {
          assertEquals(null, winners.put("k" + round, me), "two creations of k" + round);
        }
      }
    });
    for (int round = 0; round < rounds; round++) {
      String key = "k" + round;
      assertEquals(winners.get(key), caches.get(1).get(key));
      assertEquals(List.of(winners.get(key)), RecordingWriter.WRITES.get(key), "the writer's calls for " + key);
    }
  }

  @Test
  void overlappingPutAllsAndPuts_allComplete_andTheWriterSeesEachAppliedValueOnce() throws Exception {
    List<Cache<String, Integer>> caches = twoJvms("batches");
    AtomicInteger values = new AtomicInteger();
    run(caches, cache -> {
      for (int round = 0; round < 10; round++) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          keys.add("k" + i);
        }
        Collections.shuffle(keys);
        Map<String, Integer> batch = new java.util.LinkedHashMap<>();
        for (String key : keys.subList(0, 6)) {
          batch.put(key, values.incrementAndGet());
        }
        cache.putAll(batch);
        cache.put(keys.get(9), values.incrementAndGet());
      }
    });
    int written = 0;
    for (List<Integer> perKey : RecordingWriter.WRITES.values()) {
      written += perKey.size();
      assertEquals(perKey.size(), new java.util.HashSet<>(perKey).size(), "a value written twice: " + perKey);
    }
    assertEquals(values.get(), written, "one writer call per value written");
    for (int i = 0; i < 10; i++) {
      List<Integer> perKey = RecordingWriter.WRITES.get("k" + i);
      assertEquals(perKey.get(perKey.size() - 1), caches.get(0).get("k" + i), "the writer's last value is stored");
    }
  }

  /** {@code work} on 4 threads per cache, all starting at once. */
  private static void run(List<Cache<String, Integer>> caches, java.util.function.Consumer<Cache<String, Integer>> work)
      throws Exception {
    Crowd.run(THREADS_PER_MANAGER * 2, Duration.ofSeconds(60), t -> work.accept(caches.get(t % 2)));
  }
}
