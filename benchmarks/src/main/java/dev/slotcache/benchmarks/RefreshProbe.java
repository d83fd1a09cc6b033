package dev.slotcache.benchmarks;

import dev.slotcache.configuration.SlotcacheConfiguration;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.SetParams;

/**
 * Hot entries that expire, read without pause: how many loads each strategy makes and how many reads wait for one.
 * 20 keys with a 2 s TTL, a loader taking 50 ms, 8 reader threads for {@code bench.seconds} (default 20).
 *
 * <ul>
 *   <li>{@code expiry only}: Slotcache read-through with single-flight, no early refresh;
 *   <li>{@code refresh-ahead 0.8}: the same with {@code refresh-ahead=0.8};
 *   <li>{@code XFetch beta=1}: probabilistic early expiration as published (Vattani, Chierichetti, Lowenstein 2015),
 *       written against raw Jedis: each read also returns the PTTL (a script), and a reader recomputes when
 *       {@code -delta * beta * ln(random) >= ttl left}, delta being the measured load time stored with the value.
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.slotcache.benchmarks.RefreshProbe</pre>
 */
public final class RefreshProbe {

  private static final int KEYS = 20;
  private static final int THREADS = 8;
  private static final long TTL_MILLIS = 2_000;
  private static final long LOAD_MILLIS = 50;

  private RefreshProbe() {
  }

  /** What a run counted. */
  record Counts(long reads, long loads, long waitedReads, long[] latenciesMicros) {
    long percentile(double p) {
      return latenciesMicros[(int) Math.min(latenciesMicros.length - 1, Math.round(p * latenciesMicros.length))];
    }
  }

  /** The 50 ms loader of the Slotcache runs; counts loads and which thread made them. */
  public static final class SlowLoader implements CacheLoader<String, String>, java.io.Serializable {
    static final AtomicLong LOADS = new AtomicLong();
    static final AtomicLong IN_READERS = new AtomicLong();

    @Override
    public String load(String key) {
      LOADS.incrementAndGet();
      if (!Thread.currentThread().getName().startsWith("slotcache-refresh-")) {
        IN_READERS.incrementAndGet();
      }
      sleep(LOAD_MILLIS);
      return "value of " + key;
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      throw new UnsupportedOperationException();
    }
  }

  public static void main(String[] args) throws Exception {
    long seconds = Long.getLong("bench.seconds", 20);
    try (BenchmarkCluster cluster = BenchmarkCluster.open()) {
      System.out.printf(Locale.ROOT, "%d keys, TTL %d ms, load %d ms, %d reader threads, %d s each%n", KEYS,
          TTL_MILLIS, LOAD_MILLIS, THREADS, seconds);
      report("expiry only", slotcache(cluster.uri(), null, seconds), seconds);
      report("refresh-ahead 0.8", slotcache(cluster.uri(), 0.8, seconds), seconds);
      report("XFetch beta=1", xfetch(cluster.uri(), 1.0, seconds), seconds);
    }
  }

  private static Counts slotcache(String clusterUri, Double refreshAhead, long seconds) throws Exception {
    SlowLoader.LOADS.set(0);
    SlowLoader.IN_READERS.set(0);
    String namespace = "refresh-probe-" + (refreshAhead == null ? "expiry" : "ahead");
    CacheManager manager = javax.cache.Caching.getCachingProvider("dev.slotcache.spi.SlotcacheCachingProvider")
        .getCacheManager(URI.create(clusterUri + "/" + namespace), RefreshProbe.class.getClassLoader(),
            new Properties());
    try {
      SlotcacheConfiguration<String, String> configuration = new SlotcacheConfiguration<>();
      configuration.setTypes(String.class, String.class).setReadThrough(true)
          .setCacheLoaderFactory(FactoryBuilder.factoryOf(SlowLoader.class))
          .setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(
              new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, TTL_MILLIS)));
      if (refreshAhead != null) {
        configuration.setRefreshAhead(refreshAhead);
      }
      Cache<String, String> cache = manager.createCache("hot", configuration);
      Counts counts = read(seconds, key -> cache.get(key));
      return new Counts(counts.reads(), SlowLoader.LOADS.get(), SlowLoader.IN_READERS.get(), counts.latenciesMicros());
    } finally {
      manager.destroyCache("hot");
      manager.close();
    }
  }

  private static final String GET_WITH_TTL =
      "local v = redis.call('GET', KEYS[1]) if not v then return false end return {v, redis.call('PTTL', KEYS[1])}";

  /** XFetch against raw Jedis: the value is [8 bytes: delta in ms][payload]. */
  private static Counts xfetch(String clusterUri, double beta, long seconds) throws Exception {
    Set<HostAndPort> seeds = new HashSet<>();
    for (String seed : clusterUri.substring(clusterUri.indexOf("://") + 3).split(",")) {
      seeds.add(HostAndPort.from(seed));
    }
    AtomicLong loads = new AtomicLong();
    AtomicLong waited = new AtomicLong();
    try (RedisClusterClient raw = RedisClusterClient.builder().nodes(seeds).build()) {
      Counts counts = read(seconds, key -> {
        byte[] k = ("xfetch:" + key).getBytes(StandardCharsets.UTF_8);
        Object reply = raw.eval(GET_WITH_TTL.getBytes(StandardCharsets.UTF_8), List.of(k), List.of());
        if (reply instanceof List<?> found) {
          long delta = ByteBuffer.wrap((byte[]) found.get(0)).getLong();
          long ttlLeft = (Long) found.get(1);
          if (-delta * beta * Math.log(ThreadLocalRandom.current().nextDouble()) < ttlLeft) {
            return; // fresh enough
          }
        }
        waited.incrementAndGet(); // a miss, or chosen to recompute early: this reader loads
        long start = System.nanoTime();
        loads.incrementAndGet();
        sleep(LOAD_MILLIS);
        long delta = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        byte[] payload = ("value of " + key).getBytes(StandardCharsets.UTF_8);
        raw.set(k, ByteBuffer.allocate(8 + payload.length).putLong(delta).put(payload).array(),
            SetParams.setParams().px(TTL_MILLIS));
      });
      for (int i = 0; i < KEYS; i++) {
        raw.del("xfetch:hot-" + i);
      }
      return new Counts(counts.reads(), loads.get(), waited.get(), counts.latenciesMicros());
    }
  }

  /** {@link #THREADS} threads reading random hot keys for {@code seconds}: reads and their latencies. */
  private static Counts read(long seconds, Consumer<String> reader) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicLong reads = new AtomicLong();
    for (int t = 0; t < THREADS; t++) {
      long[] mine = new long[(int) (seconds * 50_000)];
      latencies.add(mine);
      int[] count = new int[1];
      Thread thread = new Thread(() -> {
        while (System.nanoTime() < end) {
          long start = System.nanoTime();
          reader.accept("hot-" + ThreadLocalRandom.current().nextInt(KEYS));
          if (count[0] < mine.length) {
            mine[count[0]++] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
          }
          reads.incrementAndGet();
        }
        Arrays.fill(mine, count[0], mine.length, -1);
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(l -> l >= 0).sorted().toArray();
    return new Counts(reads.get(), 0, 0, all);
  }

  private static void report(String strategy, Counts counts, long seconds) {
    double periods = seconds * 1000.0 / TTL_MILLIS;
    System.out.printf(Locale.ROOT, "%-18s reads %,10d  loads %6d (%.2f per key per TTL)  reads that waited for a "
        + "load %6d (%.4f %%)  latency p50 %d us, p99 %d us, p99.99 %d us, max %d us%n", strategy, counts.reads(),
        counts.loads(), counts.loads() / (KEYS * periods), counts.waitedReads(),
        100.0 * counts.waitedReads() / counts.reads(), counts.percentile(0.5), counts.percentile(0.99),
        counts.percentile(0.9999), counts.latenciesMicros()[counts.latenciesMicros().length - 1]);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
