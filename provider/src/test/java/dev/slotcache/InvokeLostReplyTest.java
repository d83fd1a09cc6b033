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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
    LosingFirstReplies losing = new LosingFirstReplies(
        new SegmentStore(redis, new SegmentedKeyLayout(namespace, "counters", 16)));
    SlotcacheConfiguration<String, Integer> configuration = new SlotcacheConfiguration<>();
    configuration.setTypes(String.class, Integer.class).setStatisticsEnabled(true);
    configuration.setSegments(16).setTtlJitterPercent(0);
    configuration.addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
        FactoryBuilder.factoryOf(Recorder.class), null, true, true));
    EVENTS.clear();
    SlotcacheCache<String, Integer> cache = slotcache.factory().create("counters", configuration, losing.store);
    try {
      losing.lose.set(1);
      assertEquals("created", cache.invoke("n", (entry, args) -> {
        entry.setValue(entry.exists() ? entry.getValue() + 1 : 1);
        return "created";
      }));
      losing.lose.set(1);
      assertEquals("updated", cache.invoke("n", (entry, args) -> {
        entry.setValue(entry.getValue() + 1);
        return "updated";
      }));

      assertEquals(2, losing.lost.get(), "two replies were lost");
      assertEquals(2, cache.get("n"), "each invocation applied once");
      assertEquals(List.of("CREATED n=1", "UPDATED n=2 (was 1)"), EVENTS);
      var statistics = cache.statistics();
      assertEquals(2, statistics.getCachePuts());
      assertEquals(1 + 1, statistics.getCacheHits(), "the update's hit and the get's");
      assertEquals(1, statistics.getCacheMisses(), "the creation's miss");
    } finally {
      cache.closeInternal();
      losing.store.clear();
      redis.close();
    }
  }

  /**
   * The real store, decorated: the next {@code lose} commits are applied and then report a lost reply. Everything
   * else goes to the real store unchanged.
   */
  static final class LosingFirstReplies {
    final AtomicInteger lose = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    /** The decorated store: {@code watch} is this class's, every other method the real store's. */
    final CacheStore store;

    LosingFirstReplies(CacheStore real) {
      this.store = (CacheStore) Proxy.newProxyInstance(CacheStore.class.getClassLoader(),
          new Class<?>[] {CacheStore.class}, (proxy, method, args) -> {
            if (method.getName().equals("watch")) {
              return losingReplies(real.watch((byte[]) args[0]));
            }
            if (method.getName().equals("putIfAbsentReleasing")) { // an invoke's creation under its lease
              boolean applied = real.putIfAbsentReleasing((byte[]) args[0], (byte[]) args[1], (Long) args[2],
                  (byte[]) args[3]);
              if (applied && lose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                lost.incrementAndGet();
                throw new StoreException("reply lost (injected)", new JedisConnectionException("injected"), true);
              }
              return applied;
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    private CacheStore.Watched losingReplies(CacheStore.Watched watched) {
      return new CacheStore.Watched() {
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
