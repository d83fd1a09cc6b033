package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.ClusterEndpoint;
import dev.slotcache.internal.store.RedisCluster;
import dev.slotcache.internal.store.SegmentStore;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import dev.slotcache.internal.store.StoreException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A commit applied in Redis whose reply is lost: the retry recognises it, does not apply it again, and reports
 * it as any commit (statistics, events). The store is the real one on the real cluster; only the reply of the
 * first commit is thrown away after Redis applied it.
 */
class InvokeLostReplyTest extends ClusterTest {

  static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  @Test
  void invoke_replyOfAnAppliedCommitLost_appliedOnceCountedOnceAnnouncedOnce() {
    SlotcacheCacheManager slotcache = manager.unwrap(SlotcacheCacheManager.class);
    List<String> seeds = cluster.masters().stream().map(n -> n.host() + ":" + n.port()).toList();
    RedisCluster redis = new RedisCluster(new ClusterEndpoint(seeds, null, null, false, Duration.ofSeconds(2),
        Duration.ofSeconds(2), 5, Duration.ofSeconds(10), 4, "lost-reply"));
    LosingFirstReplies store = new LosingFirstReplies(
        new SegmentStore(redis, new SegmentedKeyLayout(namespace, "counters", 16)));
    SlotcacheConfiguration<String, Integer> configuration = new SlotcacheConfiguration<>();
    configuration.setTypes(String.class, Integer.class).setStatisticsEnabled(true);
    configuration.setSegments(16).setTtlJitterPercent(0);
    configuration.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Recorder.class), null, true, true));
    EVENTS.clear();
    SlotcacheCache<String, Integer> cache = slotcache.factory().create("counters", configuration, store);
    try {
      store.lose.set(1);
      assertEquals("created", cache.invoke("n", (entry, args) -> {
        entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
        return "created";
      }));
      store.lose.set(1);
      assertEquals("updated", cache.invoke("n", (entry, args) -> {
        entry.setValue(entry.getValue() + 1);
        return "updated";
      }));

      assertEquals(2, store.lost.get(), "two replies were lost");
      assertEquals(2, cache.get("n"), "each invocation applied once");
      assertEquals(List.of("CREATED n=1", "UPDATED n=2 (was 1)"), EVENTS);
      var statistics = cache.statistics();
      assertEquals(2, statistics.getCachePuts());
      assertEquals(1 + 1, statistics.getCacheHits(), "the update's hit and the get's");
      assertEquals(1, statistics.getCacheMisses(), "the creation's miss");
    } finally {
      cache.closeInternal();
      store.clear();
      redis.close();
    }
  }

  /**
   * The real store, decorated: the next {@code lose} commits are applied and then report a lost reply. Everything
   * else goes to the real store unchanged.
   */
  static final class LosingFirstReplies implements CacheStore {
    final AtomicInteger lose = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    private final CacheStore real;

    LosingFirstReplies(CacheStore real) {
      this.real = real;
    }

    @Override
    public Watched watch(byte[] key) {
      Watched watched = real.watch(key);
      return new Watched() {
        @Override
        public byte[] value() {
          return watched.value();
        }

        @Override
        public boolean commit(byte[] record, long ttl) {
          boolean applied = watched.commit(record, ttl);
          if (applied && lose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            lost.incrementAndGet();
            throw new StoreException("reply lost (injected)", new JedisConnectionException("injected"), true);
          }
          return applied;
        }

        @Override
        public void close() {
          watched.close();
        }
      };
    }

    @Override
    public SegmentedKeyLayout layout() {
      return real.layout();
    }

    @Override
    public byte[] get(byte[] key) {
      return real.get(key);
    }

    @Override
    public Timed getTimed(byte[] key) {
      return real.getTimed(key);
    }

    @Override
    public byte[] getAndExpire(byte[] key, long ttl) {
      return real.getAndExpire(key, ttl);
    }

    @Override
    public void expire(byte[] key, long ttl) {
      real.expire(key, ttl);
    }

    @Override
    public boolean exists(byte[] key) {
      return real.exists(key);
    }

    @Override
    public byte[] put(byte[] key, byte[] record, long creationTtl, long updateTtl, boolean returnOld) {
      return real.put(key, record, creationTtl, updateTtl, returnOld);
    }

    @Override
    public boolean putIfAbsent(byte[] key, byte[] record, long creationTtl) {
      return real.putIfAbsent(key, record, creationTtl);
    }

    @Override
    public byte[] replace(byte[] key, byte[] record, long updateTtl, boolean returnOld) {
      return real.replace(key, record, updateTtl, returnOld);
    }

    @Override
    public byte[] remove(byte[] key, boolean returnOld) {
      return real.remove(key, returnOld);
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expectedHeader, byte[] record, long ttl) {
      return real.compareAndSet(key, expectedHeader, record, ttl);
    }

    @Override
    public Conditional replaceIfEqual(byte[] key, byte[] expectedPayload, byte[] record, long ttl, long mismatchTtl) {
      return real.replaceIfEqual(key, expectedPayload, record, ttl, mismatchTtl);
    }

    @Override
    public boolean deleteIfSame(byte[] key, byte[] bytes) {
      return real.deleteIfSame(key, bytes);
    }

    @Override
    public List<byte[]> getAll(List<byte[]> keys) {
      return real.getAll(keys);
    }

    @Override
    public List<Timed> getAllTimed(List<byte[]> keys) {
      return real.getAllTimed(keys);
    }

    @Override
    public List<byte[]> getAllAndExpire(List<byte[]> keys, long ttl) {
      return real.getAllAndExpire(keys, ttl);
    }

    @Override
    public boolean[] compareAndSetAll(List<byte[]> keys, List<byte[]> expectedHeaders, List<byte[]> records,
        long[] ttls) {
      return real.compareAndSetAll(keys, expectedHeaders, records, ttls);
    }

    @Override
    public void putAll(List<byte[]> keys, List<byte[]> records, long creationTtl, long updateTtl) {
      real.putAll(keys, records, creationTtl, updateTtl);
    }

    @Override
    public long removeAll(List<byte[]> keys) {
      return real.removeAll(keys);
    }

    @Override
    public List<List<byte[]>> keysOfSegments(int from, int count) {
      return real.keysOfSegments(from, count);
    }

    @Override
    public void clear() {
      real.clear();
    }
  }

  public static final class Recorder implements CacheEntryCreatedListener<String, Integer>,
      CacheEntryUpdatedListener<String, Integer>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> EVENTS.add("CREATED " + e.getKey() + "=" + e.getValue()));
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends Integer>> events) {
      events.forEach(e -> EVENTS.add("UPDATED " + e.getKey() + "=" + e.getValue() + " (was " + e.getOldValue() + ")"));
    }
  }
}
