package dev.slotcache.internal.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import dev.slotcache.testkit.Crowd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
  void singleFlightOff_letsEveryCallerLoad() throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = false;
    MutableConfiguration<String, String> eachLoads = new dev.slotcache.configuration.SlotcacheConfiguration<>(
        readThrough()).setSingleFlight(false);
    Cache<String, String> first = manager.createCache("each", eachLoads);
    Cache<String, String> second = secondJvm(clusterUri(namespace)).createCache("each", eachLoads);
    assertEquals(List.of(), run(first, second, new ConcurrentHashMap<>()));
    int loads = SlowLoader.LOADS.get("k0").get();
    assertTrue(loads > 2, "loads of k0: " + loads + " (every caller that missed loads)");
  }

  @Test
  void aFailingLoader_failsEveryCaller_andIsCalledOncePerJvm() throws Exception {
    failingLoader("failing", KEYS * THREADS_PER_MANAGER * 2,
        (first, second) -> run(first, second, new ConcurrentHashMap<>()));
  }

  /** Two JVMs' crowd on a failing loader: {@code callers} failures, each a CacheLoaderException; a load per JVM. */
  private void failingLoader(String cacheName, int callers, TwoJvmCrowd crowd) throws Exception {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = true;
    try {
      Cache<String, String> first = manager.createCache(cacheName, readThrough());
      CacheManager otherJvm = secondJvm(clusterUri(namespace));
      List<Throwable> failures = crowd.run(first, otherJvm.createCache(cacheName, readThrough()));
      assertEquals(callers, failures.size(), "every caller fails, none hangs");
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

  /** A crowd on the same cache of two JVMs; what failed. */
  @FunctionalInterface
  private interface TwoJvmCrowd {
    List<Throwable> run(Cache<String, String> first, Cache<String, String> second) throws Exception;
  }

  /** A new read-through cache on the slow loader, as two JVMs open it; the loader's counts reset. */
  private List<Cache<String, String>> coldInTwoJvms(String name) {
    SlowLoader.LOADS.clear();
    SlowLoader.failing = false;
    return List.of(manager.createCache(name, readThrough()),
        secondJvm(clusterUri(namespace)).createCache(name, readThrough()));
  }

  @Test
  void getAll_loadsEachColdKeyOnceAcrossTwoJvms_andEveryCallerGetsTheStoredValue() throws Exception {
    List<Cache<String, String>> caches = coldInTwoJvms("batches");
    Cache<String, String> first = caches.get(0);
    Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    assertEquals(List.of(), runBatches(first, caches.get(1), seen, Cache::getAll));
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      assertEquals(1, SlowLoader.LOADS.get(key).get(), "loads of " + key);
      assertEquals(Set.of(first.get(key)), seen.get(key), "every caller got the stored value of " + key);
    }
  }

  @Test
  void getAll_withAFailingLoader_failsEveryCaller_andLoadsAtMostOncePerJvm() throws Exception {
    failingLoader("failingBatches", THREADS_PER_MANAGER * 2,
        (first, second) -> runBatches(first, second, new ConcurrentHashMap<>(), Cache::getAll));
  }

  @Test
  void loadAll_loadsEachAbsentKeyOnceAcrossTwoJvms() throws Exception {
    List<Cache<String, String>> caches = coldInTwoJvms("preloaded");
    Cache<String, String> first = caches.get(0);
    assertEquals(List.of(), runBatches(first, caches.get(1), new ConcurrentHashMap<>(), (cache, keys) -> {
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

  /** Fails after 50 ms, counting how many run at once per key. */
  static final class FailingCreation implements javax.cache.processor.EntryProcessor<String, String, String> {
    static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> MOST = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    @Override
    public String process(javax.cache.processor.MutableEntry<String, String> entry, Object... arguments) {
      String key = entry.getKey();
      RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      int now = RUNNING.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      MOST.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        RUNNING.get(key).decrementAndGet();
      }
      throw new IllegalStateException("the database is down");
    }
  }

  @Test
  void aFailingProcessorOnAMissingEntry_failsEachCaller_andNeverRunsTwiceAtOnce() throws Exception {
    MutableConfiguration<String, String> plain = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class);
    Cache<String, String> first = manager.createCache("failingCreation", plain);
    Cache<String, String> second = secondJvm(clusterUri(namespace)).getCache("failingCreation", String.class,
        String.class);
    List<Throwable> failures = run(first, second, new ConcurrentHashMap<>(),
        (cache, key) -> cache.invoke(key, new FailingCreation()));
    assertEquals(KEYS * THREADS_PER_MANAGER * 2, failures.size(), "every caller fails, none hangs");
    for (Throwable failure : failures) {
      assertTrue(failure instanceof javax.cache.processor.EntryProcessorException, String.valueOf(failure));
    }
    for (int i = 0; i < KEYS; i++) {
      // The documented rule for invoke: a failed creation leaves the next caller to try, one at a time.
      assertEquals(1, FailingCreation.MOST.get("k" + i).get(), "processors running at once on k" + i);
      assertEquals(THREADS_PER_MANAGER * 2, FailingCreation.RUNS.get("k" + i).get(), "runs on k" + i);
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
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Crowd.run(THREADS_PER_MANAGER * 2, Duration.ofSeconds(60), t -> {
      Set<String> keys = new java.util.LinkedHashSet<>();
      for (int i = 0; i < 5; i++) {
        keys.add("k" + (t + i) % KEYS);
      }
      try {
        batch.apply(t % 2 == 0 ? first : second, keys).forEach((key, value) ->
            seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(value));
      } catch (RuntimeException e) {
        failures.add(e);
      }
    });
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
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Crowd.run(THREADS_PER_MANAGER * 2, Duration.ofSeconds(60), t -> {
      for (int i = 0; i < KEYS; i++) {
        String key = "k" + i;
        try {
          seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(operation.apply(t % 2 == 0 ? first : second,
              key));
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
    });
    return failures;
  }
}
