package dev.slotcache.benchmarks;

import java.io.IOException;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.slotcache.internal.management.MBeans;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import javax.management.JMException;
import javax.management.ObjectName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A near-cache hit next to a remote {@code get} through Slotcache and to Caffeine's own JCache provider (the
 * in-process reference), for String and 100-byte object values; and hot keys: 8 threads reading 10 keys through a
 * near cache while one thread writes them through another manager. {@link NearCacheReport} runs these.
 *
 * <p>All three caches are store-by-value, as JSR-107's default: a mutable value read is a copy (Caffeine copies by
 * Java serialization, Slotcache decodes the held record), a String is shared.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NearCacheBenchmark {

  static final int KEYS = 1_000;

  /** A value of about 100 bytes encoded. */
  public static final class Item implements Serializable {
    private static final long serialVersionUID = 1L;
    public long id;
    public String name;
    public double price;

    public Item() {
    }

    Item(long id) {
      this.id = id;
      this.name = "item number " + id + " of the benchmark's key space, about seventy characters";
      this.price = id * 1.5;
    }
  }

  @State(Scope.Benchmark)
  public static class Caches {
    @Param({"string", "object"})
    public String valueType;

    CacheManager nearManager;
    CacheManager remoteManager;
    CacheManager caffeineManager;
    Cache<String, Object> near;
    Cache<String, Object> remote;
    Cache<String, Object> caffeine;
    String[] keys;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
      URI uri = URI.create(System.getProperty("bench.uri") + "/near-" + valueType);
      CachingProvider slotcache = Caching.getCachingProvider("dev.slotcache.spi.SlotcacheCachingProvider");
      Properties nearOn = new Properties();
      nearOn.setProperty("slotcache.near-cache.max-entries", "10000");
      nearManager = slotcache.getCacheManager(uri, getClass().getClassLoader(), nearOn);
      remoteManager = new dev.slotcache.spi.SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
      caffeineManager = Caching.getCachingProvider("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider")
          .getCacheManager();
      near = nearManager.createCache("values", new MutableConfiguration<String, Object>());
      remote = remoteManager.getCache("values");
      caffeine = caffeineManager.createCache("values-" + valueType, new MutableConfiguration<String, Object>());
      keys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = "key-" + i;
        Object value = valueType.equals("string") ? "value of key " + i : new Item(i);
        near.put(keys[i], value);
        caffeine.put(keys[i], value);
      }
      Thread.sleep(200); // the invalidations of those writes arrive, then reads fill for good
      for (String key : keys) {
        near.get(key);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      near.clear();
      nearManager.close();
      remoteManager.close();
      caffeineManager.close();
    }

    String key() {
      return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }
  }

  @Benchmark
  public Object nearGet(Caches c) {
    return c.near.get(c.key());
  }

  @Benchmark
  public Object remoteGet(Caches c) {
    return c.remote.get(c.key());
  }

  @Benchmark
  public Object caffeineGet(Caches c) {
    return c.caffeine.get(c.key());
  }

  /** 10 hot keys, read through a near cache (A) and written through a manager without one (B). */
  @State(Scope.Group)
  public static class HotKeys {
    static final int HOT = 10;
    static final String[] KEYS = new String[HOT];

    static {
      for (int i = 0; i < HOT; i++) {
        KEYS[i] = "hot-" + i;
      }
    }

    CacheManager a;
    CacheManager b;
    Cache<String, Long> reader;
    Cache<String, Long> writer;
    ObjectName nearBean;
    final AtomicLong version = new AtomicLong();
    long[] arrivals = new long[1 << 20];
    long[] delays = new long[1 << 20];
    int delayCount;
    long hitsAtStart;
    long missesAtStart;
    boolean measuring;

    @Setup(Level.Trial)
    public void setUp() throws JMException {
      URI uri = URI.create(System.getProperty("bench.uri") + "/hot");
      Properties nearOn = new Properties();
      nearOn.setProperty("slotcache.near-cache.max-entries", "1000");
      a = new dev.slotcache.spi.SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader(), nearOn);
      b = new dev.slotcache.spi.SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
      reader = a.createCache("hot", new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
      writer = b.getCache("hot", String.class, Long.class);
      for (String key : KEYS) {
        writer.put(key, 0L);
      }
      nearBean = MBeans.name(MBeans.Kind.NearCache, uri, "hot");
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) throws JMException {
      measuring = params.getType() == IterationType.MEASUREMENT;
      hitsAtStart = attribute("Hits");
      missesAtStart = attribute("Misses");
    }

    @TearDown(Level.Iteration)
    public void endIteration() throws JMException, IOException {
      if (!measuring) {
        return;
      }
      long hits = attribute("Hits") - hitsAtStart;
      long misses = attribute("Misses") - missesAtStart;
      long[] arrived = Arrays.copyOf(arrivals, delayCount);
      long[] seen = Arrays.copyOf(delays, delayCount);
      Arrays.sort(arrived);
      Arrays.sort(seen);
      String out = System.getProperty("bench.hotkeys.out");
      if (out != null && seen.length > 0) {
        Files.writeString(Path.of(out), String.format(java.util.Locale.ROOT,
            "hit rate %.5f (%d hits, %d misses), %d writes; invalidation arrived p50 %.0f us, p99 %.0f us; "
            + "new value read p50 %.0f us, p99 %.0f us%n", hits / (double) (hits + misses), hits, misses,
            seen.length, arrived[arrived.length / 2] / 1e3, arrived[(int) (arrived.length * 0.99)] / 1e3,
            seen[seen.length / 2] / 1e3, seen[(int) (seen.length * 0.99)] / 1e3),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      }
      delayCount = 0;
    }

    long attribute(String name) throws JMException {
      return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(nearBean, name);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      writer.clear();
      a.close();
      b.close();
    }
  }

  @Benchmark
  @Group("hotKeys")
  @GroupThreads(8)
  public Long hotRead(HotKeys h) {
    return h.reader.get(HotKeys.KEYS[ThreadLocalRandom.current().nextInt(HotKeys.HOT)]);
  }

  /**
   * One write, then two delays from its acknowledgement: until the near-cached JVM received the invalidation (when its
   * {@code Invalidations} counter has moved — that JVM writes nothing itself — the time of arrival is read from its
   * {@code MicrosSinceLastInvalidation}, so a late look by this thread does not count), and until it reads the new
   * value (the invalidation plus the one remote read that follows).
   */
  @Benchmark
  @Group("hotKeys")
  @GroupThreads(1)
  public void hotWrite(HotKeys h) throws JMException {
    String key = HotKeys.KEYS[ThreadLocalRandom.current().nextInt(HotKeys.HOT)];
    Long next = h.version.incrementAndGet();
    long invalidations = h.attribute("Invalidations");
    h.writer.put(key, next);
    long acknowledged = System.nanoTime();
    while (h.attribute("Invalidations") == invalidations) {
      Thread.yield(); // leaves the cores to the thread that receives the invalidation
    }
    // When it arrived, by the receiving JVM's clock (the age first, then the clock: a pause in between makes the
    // delay look longer, never shorter; an arrival before the acknowledgement counts as no delay).
    long age = h.attribute("MicrosSinceLastInvalidation") * 1_000;
    long arrived = Math.max(acknowledged, System.nanoTime() - age);
    while (!next.equals(h.reader.get(key))) {
      Thread.yield();
    }
    if (h.delayCount < h.delays.length) {
      h.arrivals[h.delayCount] = arrived - acknowledged;
      h.delays[h.delayCount++] = System.nanoTime() - acknowledged;
    }
  }
}
