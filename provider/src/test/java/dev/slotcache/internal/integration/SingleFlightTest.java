package dev.slotcache.internal.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import org.junit.jupiter.api.Test;

/**
 * Read-through {@code get} on cold keys from two managers (as two JVMs) × 8 threads at once, with a loader that
 * takes 200 ms: one load per key across both, and every caller gets the value that was stored.
 */
class SingleFlightTest extends ClusterTest {

  private static final int KEYS = 10;
  private static final int THREADS_PER_MANAGER = 8;

  /** Counts loads per key and run; returns a value unique to each load, so that private copies would show. */
  public static final class SlowLoader implements CacheLoader<String, String>, java.io.Serializable {
    static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();
    static volatile boolean failing;

    @Override
    public String load(String key) {
      LOADS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failing) {
        throw new IllegalStateException("the database is down");
      }
      return key + "@" + UUID.randomUUID();
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> all = new java.util.HashMap<>();
      keys.forEach(key -> {
        LOADS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        all.put(key, key + "@" + UUID.randomUUID());
      });
      try {
        Thread.sleep(200); // one query for the batch
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failing) {
        throw new IllegalStateException("the database is down");
      }
      return all;
    }
  }

  private MutableConfiguration<String, String> readThrough() {
    return new MutableConfiguration<String, String>().setTypes(String.class, String.class).setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(SlowLoader.class));
  }

  @Test
  void coldKeys_areLoadedOncePerKeyAcrossTwoJvms_andEveryCallerGetsTheStoredValue() throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = false;
    Cache<String, String> first = manager.createCache("catalog", readThrough());
    CacheManager otherJvm = secondJvm(clusterUri(namespace));
    Cache<String, String> second = otherJvm.createCache("catalog", readThrough());
    Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    List<Throwable> failures = run(first, second, seen);
    assertEquals(List.of(), failures);
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      assertEquals(1, SlowLoader.LOADS.get(key).get(), "loads of " + key);
      assertEquals(1, seen.get(key).size(), "values seen for " + key + ": " + seen.get(key));
      assertEquals(seen.get(key).iterator().next(), first.get(key), "the stored value");
    }
  }

  @Test
  void aFailingLoader_failsEveryCaller_andIsCalledOncePerJvm() throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = true;
    try {
      Cache<String, String> first = manager.createCache("failing", readThrough());
      CacheManager otherJvm = secondJvm(clusterUri(namespace));
      Cache<String, String> second = otherJvm.createCache("failing", readThrough());
      List<Throwable> failures = run(first, second, new ConcurrentHashMap<>());
      assertEquals(KEYS * THREADS_PER_MANAGER * 2, failures.size(), "every caller fails, none hangs");
      for (Throwable failure : failures) {
        assertTrue(failure instanceof CacheLoaderException, String.valueOf(failure));
      }
      for (int i = 0; i < KEYS; i++) {
        int loads = SlowLoader.LOADS.get("k" + i).get();
        assertTrue(loads >= 1 && loads <= 2, "loads of k" + i + ": " + loads + " (at most once per JVM)");
      }
    } finally {
      SlowLoader.failing = false;
    }
  }

  @Test
  void getAll_loadsEachColdKeyOnceAcrossTwoJvms_andEveryCallerGetsTheStoredValue() throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = false;
    Cache<String, String> first = manager.createCache("batches", readThrough());
    Cache<String, String> second = secondJvm(clusterUri(namespace)).createCache("batches", readThrough());
    Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    assertEquals(List.of(), runBatches(first, second, seen, Cache::getAll));
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      assertEquals(1, SlowLoader.LOADS.get(key).get(), "loads of " + key);
      assertEquals(Set.of(first.get(key)), seen.get(key), "every caller got the stored value of " + key);
    }
  }

  @Test
  void getAll_withAFailingLoader_failsEveryCaller_andLoadsAtMostOncePerJvm() throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = true;
    try {
      Cache<String, String> first = manager.createCache("failingBatches", readThrough());
      Cache<String, String> second = secondJvm(clusterUri(namespace)).createCache("failingBatches", readThrough());
      List<Throwable> failures = runBatches(first, second, new ConcurrentHashMap<>(), Cache::getAll);
      assertEquals(THREADS_PER_MANAGER * 2, failures.size(), "every caller fails, none hangs");
      for (Throwable failure : failures) {
        assertTrue(failure instanceof CacheLoaderException, String.valueOf(failure));
      }
      for (int i = 0; i < KEYS; i++) {
        int loads = SlowLoader.LOADS.get("k" + i).get();
        assertTrue(loads >= 1 && loads <= 2, "loads of k" + i + ": " + loads + " (at most once per JVM)");
      }
    } finally {
      SlowLoader.failing = false;
    }
  }

  @Test
  void loadAll_loadsEachAbsentKeyOnceAcrossTwoJvms() throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = false;
    Cache<String, String> first = manager.createCache("preloaded", readThrough());
    Cache<String, String> second = secondJvm(clusterUri(namespace)).createCache("preloaded", readThrough());
    assertEquals(List.of(), runBatches(first, second, new ConcurrentHashMap<>(), (cache, keys) -> {
      javax.cache.integration.CompletionListenerFuture done = new javax.cache.integration.CompletionListenerFuture();
      cache.loadAll(keys, false, done);
      try {
        done.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return Map.of();
    }));
    for (int i = 0; i < KEYS; i++) {
      assertEquals(1, SlowLoader.LOADS.get("k" + i).get(), "loads of k" + i);
      assertTrue(first.get("k" + i).startsWith("k" + i + "@"));
    }
  }

  @Test
  void theLoadingJvmKilledMidGet_holdsUpTheOthersAtMostOneLease() throws Exception {
    killedMidLoad("get");
  }

  @Test
  void theLoadingJvmKilledMidGetAll_holdsUpTheOthersAtMostOneLease() throws Exception {
    killedMidLoad("getAll");
  }

  @Test
  void theLoadingJvmKilledMidInvoke_holdsUpTheOthersAtMostOneLease() throws Exception {
    killedMidLoad("invoke");
  }

  /**
   * A child JVM takes the lease of {@code k} by {@code operation} and is killed while loading; this JVM's same
   * operation waits for the dead holder's lease to lapse (not longer), then loads once.
   */
  private void killedMidLoad(String operation) throws Exception {
    Process child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LoaderKilledChild.class.getName(),
        clusterUri(namespace).toString(), operation).redirectErrorStream(true).start();
    try {
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.equals("LOADING")) {
        // the child's log lines
      }
      assertEquals("LOADING", line, "the child took the lease and is loading");
      SlowLoader.failing = false;
      SlowLoader.LOADS.clear();
      CacheManager here = openManager(clusterUri(namespace), properties("slotcache.single-flight.lease", "1s"));
      Cache<String, String> cache = here.createCache("killed", readThrough()); // adopts the child's recorded cache
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      long killedAt = System.nanoTime();
      String value = switch (operation) {
        case "get" -> cache.get("k");
        case "getAll" -> cache.getAll(Set.of("k")).get("k");
        default -> cache.invoke("k", new LoadIfMissing());
      };
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      assertTrue(value.startsWith("k@"), value);
      assertEquals(1, SlowLoader.LOADS.get("k").get(), "loaded once here");
      assertTrue(millis < 1_000 + 200 + 800, "waited " + millis + " ms: at most the lease (1 s) and one load");
      // The lease had at least two thirds of a second left when the child died (renewed every third): this JVM
      // waited for it to lapse rather than loading at once beside the child.
      assertTrue(millis >= 500, "took over after " + millis + " ms, before the dead holder's lease lapsed");
    } finally {
      child.destroyForcibly();
    }
  }

  /** What Spring's {@code @Cacheable(sync = true)} sends: load and set the value only when the entry is missing. */
  static final class LoadIfMissing implements javax.cache.processor.EntryProcessor<String, String, String> {
    @Override
    public String process(javax.cache.processor.MutableEntry<String, String> entry, Object... arguments) {
      if (entry.exists()) {
        return entry.getValue();
      }
      String value = new SlowLoader().load(entry.getKey());
      entry.setValue(value);
      return value;
    }
  }

  @Test
  void aProcessorOnAMissingEntry_runsOncePerKeyAcrossTwoJvms() throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = false;
    MutableConfiguration<String, String> plain = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class);
    Cache<String, String> first = manager.createCache("computed", plain);
    Cache<String, String> second = secondJvm(clusterUri(namespace)).getCache("computed", String.class, String.class);
    Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    assertEquals(List.of(), run(first, second, seen, (cache, key) -> cache.invoke(key, new LoadIfMissing())));
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      assertEquals(1, SlowLoader.LOADS.get(key).get(), "processor loads of " + key);
      assertEquals(Set.of(first.get(key)), seen.get(key), "every caller got the stored value");
    }
  }

  /**
   * 8 threads per cache, all starting at once, each making {@code batch} once on 5 of the keys (a window starting at
   * its own number, so that every key is in several threads' batches, in both JVMs); returns what failed.
   */
  private static List<Throwable> runBatches(Cache<String, String> first, Cache<String, String> second,
      Map<String, Set<String>> seen,
      java.util.function.BiFunction<Cache<String, String>, Set<String>, Map<String, String>> batch) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS_PER_MANAGER * 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> calls = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      for (int t = 0; t < THREADS_PER_MANAGER * 2; t++) {
        Cache<String, String> cache = t % 2 == 0 ? first : second;
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 5; i++) {
          keys.add("k" + (t + i) % KEYS);
        }
        calls.add(pool.submit(() -> {
          start.await();
          try {
            batch.apply(cache, keys).forEach((key, value) ->
                seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(value));
          } catch (RuntimeException e) {
            failures.add(e);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> call : calls) {
        call.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return failures;
  }

  /** 8 threads per cache, all starting at once, each getting every key; returns what failed. */
  private static List<Throwable> run(Cache<String, String> first, Cache<String, String> second,
      Map<String, Set<String>> seen) throws Exception {
    return run(first, second, seen, Cache::get);
  }

  /** 8 threads per cache, all starting at once, each making {@code operation} on every key; returns what failed. */
  private static List<Throwable> run(Cache<String, String> first, Cache<String, String> second,
      Map<String, Set<String>> seen, java.util.function.BiFunction<Cache<String, String>, String, String> operation)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS_PER_MANAGER * 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> calls = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      for (int t = 0; t < THREADS_PER_MANAGER * 2; t++) {
        Cache<String, String> cache = t % 2 == 0 ? first : second;
        calls.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < KEYS; i++) {
            String key = "k" + i;
            try {
              seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(operation.apply(cache, key));
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> call : calls) {
        call.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return failures;
  }
}
