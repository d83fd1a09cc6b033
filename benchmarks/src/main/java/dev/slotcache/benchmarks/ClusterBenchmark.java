package dev.slotcache.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.processor.EntryProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Each Slotcache operation next to the raw Jedis command(s) a hand-written client would send for it, on the
 * same cluster, same key space shape and value size. {@link RatioReport} runs these and prints ours ÷ raw.
 *
 * <p>Batches have two baselines: {@code raw*All100} is what a hand-written client sends (keys grouped by
 * {@code CRC16} slot and the cluster's slot map into one {@link Pipeline} per owning master, on a connection from
 * that master's pool; every master's commands written and flushed from the calling thread before any reply is
 * read); {@code clusterPipeline*All100} is Jedis' {@link ClusterPipeline}, which is what most code uses.
 *
 * <p>The cluster comes from system property {@code bench.uri} ({@code redis://host:port,...}), set by
 * {@link RatioReport} for the forked JVMs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClusterBenchmark {

  static final int KEYS = 10_000;
  static final int BATCH = 100;
  static final int BATCHES = 64;

  /** Increments the first byte of the value: a read-modify-write. */
  static final EntryProcessor<String, byte[], Void> BUMP = (entry, args) -> {
    byte[] value = entry.getValue();
    byte[] next = value == null ? new byte[1] : value.clone();
    next[0]++;
    entry.setValue(next);
    return null;
  };

  /** A loader that returns the fixture's value at once, so that a miss costs only what the cache does. */
  public static final class ValueLoader implements CacheLoader<String, byte[]>, java.io.Serializable {
    static volatile byte[] value;

    @Override
    public byte[] load(String key) {
      return value;
    }

    @Override
    public Map<String, byte[]> loadAll(Iterable<? extends String> keys) {
      Map<String, byte[]> all = new HashMap<>();
      keys.forEach(key -> all.put(key, value));
      return all;
    }
  }

  /** Life of an entry a miss stores: short, so that the keys of a run expire in Redis soon after. */
  static final long MISS_TTL_MILLIS = 2_000;

  @State(Scope.Benchmark)
  public static class Fixture {
    @Param({"100", "10240"})
    public int valueSize;

    CacheManager manager;
    Cache<String, byte[]> cache;
    ClusterConnectionProvider slots;
    RedisClusterClient raw;
    String[] keys;
    byte[][] rawKeys;
    byte[] value;
    List<Set<String>> keySets;
    List<Set<byte[]>> rawKeySets;
    List<Map<String, byte[]>> entrySets;
    /** Read-through caches whose misses load with (loadingOnce) and without (loadingEach) single-flight. */
    Cache<String, byte[]> loadingOnce;
    Cache<String, byte[]> loadingEach;
    final java.util.concurrent.atomic.AtomicLong misses = new java.util.concurrent.atomic.AtomicLong();
    final String missPrefix = "miss-" + java.util.UUID.randomUUID() + "-";
    final SetParams missSet = SetParams.setParams().nx().px(MISS_TTL_MILLIS);

    @Setup(Level.Trial)
    public void setUp() {
      String uri = System.getProperty("bench.uri");
      if (uri == null) {
        throw new IllegalStateException("system property bench.uri is not set; run RatioReport");
      }
      String namespace = "bench-" + valueSize;
      // Named: Caffeine's JCache provider is on the benchmarks' class path too (NearCacheBenchmark).
      manager = Caching.getCachingProvider("dev.slotcache.spi.SlotcacheCachingProvider")
          .getCacheManager(URI.create(uri + "/" + namespace), getClass().getClassLoader(), new Properties());
      Cache<String, byte[]> existing = manager.getCache("bench");
      cache = existing != null ? existing : manager.createCache("bench", new MutableConfiguration<>());
      ValueLoader.value = new byte[valueSize];
      loadingOnce = loadingCache(manager, "loading-once", true);
      loadingEach = loadingCache(manager, "loading-each", false);
      Set<HostAndPort> seeds = new HashSet<>();
      for (String seed : uri.substring(uri.indexOf("://") + 3).split(",")) {
        seeds.add(HostAndPort.from(seed));
      }
      slots = new ClusterConnectionProvider(seeds, DefaultJedisClientConfig.builder().build());
      raw = RedisClusterClient.builder().nodes(seeds).connectionProvider(slots).build();
      value = new byte[valueSize];
      ThreadLocalRandom.current().nextBytes(value);
      keys = new String[KEYS];
      rawKeys = new byte[KEYS][];
      Map<String, byte[]> preload = new HashMap<>();
      try (ClusterPipeline pipeline = raw.pipelined()) {
        for (int i = 0; i < KEYS; i++) {
          keys[i] = "key-" + i;
          rawKeys[i] = (namespace + ":raw:key-" + i).getBytes(StandardCharsets.UTF_8);
          preload.put(keys[i], value);
          pipeline.set(rawKeys[i], value);
          if (preload.size() == 500) {
            cache.putAll(preload);
            preload.clear();
            pipeline.sync();
          }
        }
        pipeline.sync();
      }
      cache.putAll(preload);
      keySets = new java.util.ArrayList<>();
      rawKeySets = new java.util.ArrayList<>();
      entrySets = new java.util.ArrayList<>();
      for (int b = 0; b < BATCHES; b++) {
        Set<String> ks = new LinkedHashSet<>();
        Set<byte[]> rks = new LinkedHashSet<>();
        Map<String, byte[]> es = new HashMap<>();
        while (ks.size() < BATCH) {
          int i = ThreadLocalRandom.current().nextInt(KEYS);
          if (ks.add(keys[i])) {
            rks.add(rawKeys[i]);
            es.put(keys[i], value);
          }
        }
        keySets.add(ks);
        rawKeySets.add(rks);
        entrySets.add(es);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      raw.close();
      manager.close();
    }

    /** A key never asked for before (it expires {@link #MISS_TTL_MILLIS} after a miss stores it). */
    String freshKey() {
      return missPrefix + misses.incrementAndGet();
    }

    /** Created, or adopted from an earlier fork with this fork's loader (a getCache would adopt it without). */
    private static Cache<String, byte[]> loadingCache(CacheManager manager, String name, boolean singleFlight) {
      dev.slotcache.configuration.SlotcacheConfiguration<String, byte[]> configuration =
          new dev.slotcache.configuration.SlotcacheConfiguration<>();
      configuration.setReadThrough(true).setCacheLoaderFactory(javax.cache.configuration.FactoryBuilder
          .factoryOf(ValueLoader.class)).setExpiryPolicyFactory(javax.cache.expiry.CreatedExpiryPolicy.factoryOf(
              new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, MISS_TTL_MILLIS)));
      return manager.createCache(name, configuration.setSingleFlight(singleFlight));
    }

    int index() {
      return ThreadLocalRandom.current().nextInt(KEYS);
    }

    int batch() {
      return ThreadLocalRandom.current().nextInt(BATCHES);
    }
  }

  @Benchmark
  public byte[] get(Fixture f) {
    return f.cache.get(f.keys[f.index()]);
  }

  @Benchmark
  public byte[] rawGet(Fixture f) {
    return f.raw.get(f.rawKeys[f.index()]);
  }

  @Benchmark
  public void put(Fixture f) {
    f.cache.put(f.keys[f.index()], f.value);
  }

  @Benchmark
  public String rawPut(Fixture f) {
    return f.raw.set(f.rawKeys[f.index()], f.value);
  }

  @Benchmark
  public boolean containsKey(Fixture f) {
    return f.cache.containsKey(f.keys[f.index()]);
  }

  @Benchmark
  public boolean rawContainsKey(Fixture f) {
    return f.raw.exists(f.rawKeys[f.index()]);
  }

  @Benchmark
  public boolean remove(Fixture f) {
    return f.cache.remove(f.keys[f.index()]);
  }

  @Benchmark
  public long rawRemove(Fixture f) {
    return f.raw.del(f.rawKeys[f.index()]);
  }

  @Benchmark
  public Map<String, byte[]> getAll100(Fixture f) {
    return f.cache.getAll(f.keySets.get(f.batch()));
  }

  /** A hand-written batch: one pipeline per owning master, all written and flushed, then each read. */
  static final class PerMaster {
    private final List<Connection> connections = new java.util.ArrayList<>(4);
    private final List<Pipeline> pipelines = new java.util.ArrayList<>(4);
    private final Map<HostAndPort, Pipeline> byMaster = new HashMap<>(8);
    private final ClusterConnectionProvider slots;

    PerMaster(ClusterConnectionProvider slots) {
      this.slots = slots;
    }

    Pipeline pipelineFor(byte[] key) {
      HostAndPort master = slots.getNode(JedisClusterCRC16.getSlot(key));
      return byMaster.computeIfAbsent(master, node -> {
        Connection connection = slots.getConnection(node);
        connections.add(connection);
        Pipeline pipeline = new Pipeline(connection);
        pipelines.add(pipeline);
        return pipeline;
      });
    }

    /** Flushes every master's commands (getMany(0) flushes and reads nothing), then reads each master's replies. */
    void syncAndClose() {
      try {
        for (Connection connection : connections) {
          connection.getMany(0);
        }
        for (Pipeline pipeline : pipelines) {
          pipeline.sync();
        }
      } finally {
        connections.forEach(Connection::close);
      }
    }
  }

  @Benchmark
  public int rawGetAll100(Fixture f) {
    PerMaster batch = new PerMaster(f.slots);
    List<Response<byte[]>> replies = new java.util.ArrayList<>(BATCH);
    for (byte[] key : f.rawKeySets.get(f.batch())) {
      replies.add(batch.pipelineFor(key).get(key));
    }
    batch.syncAndClose();
    int found = 0;
    for (Response<byte[]> reply : replies) {
      found += reply.get() == null ? 0 : 1;
    }
    return found;
  }

  @Benchmark
  public int clusterPipelineGetAll100(Fixture f) {
    int found = 0;
    try (ClusterPipeline pipeline = f.raw.pipelined()) {
      List<Response<byte[]>> replies = new java.util.ArrayList<>(BATCH);
      for (byte[] key : f.rawKeySets.get(f.batch())) {
        replies.add(pipeline.get(key));
      }
      pipeline.sync();
      for (Response<byte[]> reply : replies) {
        found += reply.get() == null ? 0 : 1;
      }
    }
    return found;
  }

  @Benchmark
  public void putAll100(Fixture f) {
    f.cache.putAll(f.entrySets.get(f.batch()));
  }

  @Benchmark
  public void rawPutAll100(Fixture f) {
    PerMaster batch = new PerMaster(f.slots);
    List<Response<String>> replies = new java.util.ArrayList<>(BATCH);
    for (byte[] key : f.rawKeySets.get(f.batch())) {
      replies.add(batch.pipelineFor(key).set(key, f.value));
    }
    batch.syncAndClose();
    replies.forEach(Response::get);
  }

  @Benchmark
  public void clusterPipelinePutAll100(Fixture f) {
    try (ClusterPipeline pipeline = f.raw.pipelined()) {
      for (byte[] key : f.rawKeySets.get(f.batch())) {
        pipeline.set(key, f.value);
      }
      pipeline.sync();
    }
  }

  @Benchmark
  public void removeAll100(Fixture f) {
    f.cache.removeAll(f.keySets.get(f.batch()));
  }

  @Benchmark
  public long rawRemoveAll100(Fixture f) {
    PerMaster batch = new PerMaster(f.slots);
    List<Response<Long>> replies = new java.util.ArrayList<>(BATCH);
    for (byte[] key : f.rawKeySets.get(f.batch())) {
      replies.add(batch.pipelineFor(key).del(key));
    }
    batch.syncAndClose();
    long removed = 0;
    for (Response<Long> reply : replies) {
      removed += reply.get();
    }
    return removed;
  }

  @Benchmark
  public Void invoke(Fixture f) {
    return f.cache.invoke(f.keys[f.index()], BUMP);
  }

  /** A read-through miss (load lease taken, value loaded, stored and the lease given back). */
  @Benchmark
  public byte[] loadMiss(Fixture f) {
    return f.loadingOnce.get(f.freshKey());
  }

  /** The same miss with single-flight off ({@code slotcache.single-flight=false}): GET, then SET NX. */
  @Benchmark
  public byte[] uncoordinatedLoadMiss(Fixture f) {
    return f.loadingEach.get(f.freshKey());
  }

  /** What a hand-written read-through does on a miss: GET (nothing), load, SET NX with the TTL. */
  @Benchmark
  public String rawLoadMiss(Fixture f) {
    byte[] key = f.freshKey().getBytes(StandardCharsets.UTF_8);
    if (f.raw.get(key) != null) {
      return "hit";
    }
    return f.raw.set(key, ValueLoader.value, f.missSet);
  }

  /** What invoke replaces: read, change, write back (two round trips, not atomic). */
  @Benchmark
  public String rawInvoke(Fixture f) {
    byte[] key = f.rawKeys[f.index()];
    byte[] value = f.raw.get(key);
    byte[] next = value == null ? new byte[1] : value.clone();
    next[0]++;
    return f.raw.set(key, next);
  }
}
