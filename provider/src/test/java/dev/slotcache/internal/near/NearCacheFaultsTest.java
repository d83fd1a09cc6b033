package dev.slotcache.internal.near;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * The near cache under real faults, on a cluster of its own (3 masters, a replica each): while B (no near cache)
 * writes and A (near cache) reads, a fault is made; once the fault is detected no read of A returns a value older
 * than one B had acknowledged more than 100 ms before the read began, and a lost invalidation connection empties
 * the entries of its master within 1 s. One cluster for the class: the faults run in order, the failovers last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NearCacheFaultsTest {

  private static final long BOUND_MILLIS = 100;
  private static final int KEYS = 30;
  private static LocalRedisCluster cluster;
  private static RedisClusterClient raw;
  private CacheManager a;
  private CacheManager b;
  private Cache<String, String> nearA;
  private Cache<String, String> plainB;
  private NearCacheBeanReader near;

  @BeforeAll
  static void startCluster() {
    cluster = LocalRedisCluster.builder().masters(3).replicasPerMaster(1).clusterNodeTimeout(Duration.ofMillis(1500))
        .start();
    Set<HostAndPort> nodes = new HashSet<>();
    cluster.masters().forEach(n -> nodes.add(n.hostAndPort()));
    raw = RedisClusterClient.create(nodes);
  }

  @AfterAll
  static void stopCluster() {
    raw.close();
    cluster.close();
  }

  @BeforeEach
  void open() {
    String ns = "faults-" + ThreadLocalRandom.current().nextInt(1_000_000);
    URI uri = URI.create(cluster.uri() + "/" + ns);
    Properties nearOn = new Properties();
    nearOn.setProperty("slotcache.near-cache.max-entries", "1000");
    a = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader(), nearOn);
    b = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
    nearA = a.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
    plainB = b.getCache("c", String.class, String.class);
    near = NearCacheTest.nearBean(nearA);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  /** What a fault test does to the cluster while the load runs. */
  private interface Fault {
    void make() throws Exception;
  }

  /**
   * Runs the load, makes the fault, waits for the near cache to flush (within {@code flushBoundMillis} when the fault
   * cuts the invalidation connection), then checks every read made after that and that memory serves reads again.
   */
  private void underLoad(Fault fault, long flushBoundMillis) throws Exception {
    Load load = Load.start(plainB, nearA);
    load.awaitHits(near);
    long flushes = near.get("Flushes");
    long madeAt = System.nanoTime();
    fault.make();
    long flushedAfter = awaitFlush(flushes, madeAt);
    assertTrue(flushedAfter <= flushBoundMillis, "flushed " + flushedAfter + " ms after the fault");
    cluster.awaitHealthy(Duration.ofSeconds(20));
    load.awaitHits(near);
    load.stopAndCheck(madeAt + TimeUnit.MILLISECONDS.toNanos(flushedAfter));
  }

  @Test
  @Order(1)
  void clientKillOfTheInvalidationConnections() throws Exception {
    underLoad(() -> {
      int killed = 0;
      for (HostAndPort master : cluster.awaitHealthy(Duration.ofSeconds(10))) {
        try (Jedis jedis = new Jedis(master)) {
          for (String line : jedis.clientList().split("\n")) {
            if (line.contains("flags=") && line.split("flags=")[1].split(" ")[0].contains("t")) {
              jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "ID",
                  line.split("id=")[1].split(" ")[0]);
              killed++;
            }
          }
        }
      }
      assertEquals(3, killed, "one tracking connection per master");
    }, 1_000);
  }

  @Test
  @Order(2)
  void clientPauseOfEveryMaster() throws Exception {
    underLoad(() -> {
      for (HostAndPort master : cluster.awaitHealthy(Duration.ofSeconds(10))) {
        try (Jedis jedis = new Jedis(master)) {
          jedis.clientPause(1_500);
        }
      }
    }, 1_000);
  }

  @Test
  @Order(3)
  void flushAll() throws Exception {
    heldByA("k");
    cluster.flushAll();
    assertNull(NearCacheTest.awaitValue(nearA, "k", null), "FLUSHALL reaches the near cache");
  }

  @Test
  @Order(4)
  void evictionUnderMaxmemory() throws Exception {
    heldByA("victim");
    byte[] victim = redisKey(nearA, "victim");
    String tag = new String(victim, StandardCharsets.UTF_8).replaceAll("^[^{]*\\{([^}]*)\\}.*$", "$1");
    HostAndPort owner = null;
    for (HostAndPort master : cluster.awaitHealthy(Duration.ofSeconds(10))) {
      try (Jedis jedis = new Jedis(master)) {
        if (jedis.clusterCountKeysInSlot(redis.clients.jedis.util.JedisClusterCRC16.getSlot(victim)) > 0) {
          owner = master;
        }
      }
    }
    try (Jedis jedis = new Jedis(owner)) {
      long used = Long.parseLong(jedis.info("memory").split("used_memory:")[1].split("\r\n")[0]);
      jedis.configSet("maxmemory-policy", "allkeys-lru");
      jedis.configSet("maxmemory", Long.toString(used + 4_000_000));
      byte[] filler = new byte[10_000];
      try {
        for (int i = 0; i < 5_000 && jedis.exists(victim); i++) {
          jedis.set(("{" + tag + "}filler:" + i).getBytes(StandardCharsets.UTF_8), filler);
        }
        assertTrue(!jedis.exists(victim), "evicted by Redis");
        assertNull(NearCacheTest.awaitValue(nearA, "victim", null), "an eviction reaches the near cache");
      } finally {
        jedis.configSet("maxmemory", "0");
        jedis.configSet("maxmemory-policy", "noeviction");
      }
    }
  }

  @Test
  @Order(5)
  void slotsMovedByResharding() throws Exception {
    Load load = Load.start(plainB, nearA);
    load.awaitHits(near);
    List<HostAndPort> masters = cluster.awaitHealthy(Duration.ofSeconds(10));
    long fault = System.nanoTime();
    int moved = 0;
    for (int i = 0; i < KEYS; i += 3) {
      int slot = redis.clients.jedis.util.JedisClusterCRC16.getSlot(redisKey(nearA, "k" + i));
      moved += cluster.moveSlot(slot, masters.get(i % masters.size()));
    }
    assertTrue(moved > 0, "keys moved with their slots");
    load.awaitHits(near);
    load.stopAndCheck(fault);
  }

  @Test
  @Order(6)
  void gracefulClusterFailover() throws Exception {
    // The old master stays up as a replica: only the monitor's next round (1 s) sees that its slots moved.
    underLoad(() -> {
      try (Jedis replica = cluster.replicas().get(0).connect()) {
        replica.clusterFailover();
      }
    }, 3_000);
  }

  @Test
  @Order(7)
  void masterKilled_replicaPromoted() throws Exception {
    HostAndPort victim = cluster.awaitHealthy(Duration.ofSeconds(10)).get(1);
    LocalRedisCluster.Node node = cluster.nodes().stream().filter(n -> n.hostAndPort().equals(victim)).findFirst()
        .orElseThrow();
    underLoad(() -> cluster.kill(node), 1_000);
  }

  /** Writes "v" under {@code key} and reads it twice in A: it is then held in A's memory. */
  private void heldByA(String key) throws InterruptedException {
    nearA.put(key, "v");
    NearCacheTest.warm(nearA, key);
    assertEquals("v", nearA.get(key));
  }

  /** Milliseconds from {@code fault} until the near cache counted a flush (fails after 5 s). */
  private long awaitFlush(long flushesBefore, long fault) throws InterruptedException {
    long deadline = fault + TimeUnit.SECONDS.toNanos(5);
    while (near.get("Flushes") == flushesBefore) {
      assertTrue(System.nanoTime() < deadline, "no flush within 5 s of the fault");
      Thread.sleep(5);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fault);
  }

  private static byte[] redisKey(Cache<?, ?> cache, String key) {
    return new dev.slotcache.internal.store.SegmentedKeyLayout(
        cache.getCacheManager().unwrap(dev.slotcache.SlotcacheCacheManager.class).getNamespace(), cache.getName(),
        dev.slotcache.configuration.SlotcacheConfiguration.of(cache).getSegments())
        .redisKey(key.getBytes(StandardCharsets.UTF_8));
  }

  /** B writing increasing numbers to KEYS keys, A reading them, both recording what they did and when. */
  private static final class Load {
    private final Cache<String, String> writer;
    private final Cache<String, String> reader;
    private final Map<String, Map<Integer, Long>> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> latest = new ConcurrentHashMap<>();
    private final List<long[]> reads = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private Load(Cache<String, String> writer, Cache<String, String> reader) {
      this.writer = writer;
      this.reader = reader;
      for (int i = 0; i < KEYS; i++) {
        acknowledged.put("k" + i, new ConcurrentHashMap<>());
        latest.put("k" + i, new AtomicLong());
      }
    }

    static Load start(Cache<String, String> writer, Cache<String, String> reader) {
      Load load = new Load(writer, reader);
      for (int i = 0; i < KEYS; i++) {
        writer.put("k" + i, "0");
      }
      load.threads.add(new Thread(load::write, "b-writes"));
      load.threads.add(new Thread(load::read, "a-reads"));
      load.threads.forEach(Thread::start);
      return load;
    }

    private void write() {
      for (int n = 1; !stop.get(); n++) {
        for (int i = 0; i < KEYS && !stop.get(); i += 7) {
          String key = "k" + ((n + i) % KEYS);
          try {
            writer.put(key, Integer.toString(n));
            acknowledged.get(key).put(n, System.nanoTime());
            latest.get(key).accumulateAndGet(n, Math::max);
          } catch (RuntimeException e) {
            // the write may have failed during the fault; not acknowledged
          }
        }
        pause(3);
      }
    }

    private void read() {
      while (!stop.get()) {
        int i = ThreadLocalRandom.current().nextInt(KEYS);
        long began = System.nanoTime();
        try {
          String value = reader.get("k" + i);
          if (value != null) {
            reads.add(new long[] {i, began, Long.parseLong(value)});
          }
        } catch (RuntimeException e) {
          pause(5); // unavailable during the fault
        }
      }
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits (at most 10 s) until memory served 500 more reads: tracking works again, and there is enough to check. */
    void awaitHits(NearCacheBeanReader near) throws InterruptedException {
      long before = near.get("Hits");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (near.get("Hits") < before + 500) {
        assertTrue(System.nanoTime() < deadline, "the near cache serves reads (tracking " + near.tracking() + ")");
        Thread.sleep(10);
      }
    }

    /** Stops, then checks every read that began after {@code checkedFrom}. */
    void stopAndCheck(long checkedFrom) throws InterruptedException {
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      List<String> stale = new ArrayList<>();
      int checked = 0;
      synchronized (reads) {
        for (long[] read : reads) {
          if (read[1] < checkedFrom) {
            continue;
          }
          checked++;
          String key = "k" + read[0];
          for (Map.Entry<Integer, Long> ack : acknowledged.get(key).entrySet()) {
            if (ack.getKey() > read[2] && read[1] - ack.getValue() > TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS)) {
              stale.add(key + " read as " + read[2] + " although " + ack.getKey() + " was acknowledged "
                  + TimeUnit.NANOSECONDS.toMillis(read[1] - ack.getValue()) + " ms before");
              break;
            }
          }
        }
      }
      assertTrue(checked > 100, "reads checked: " + checked);
      assertTrue(stale.isEmpty(), stale.size() + " stale reads of " + checked + ": " + stale.subList(0,
          Math.min(5, stale.size())));
    }
  }
}
