package dev.slotcache.internal.event;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import java.io.Serializable;
import java.net.URI;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** After a replica takes over a master, expiries on its slots still reach listeners: they re-subscribe. */
class ExpiryEventsAfterFailoverTest {

  private static final BlockingQueue<String> EXPIRED = new LinkedBlockingQueue<>();

  @Test
  void failover_expiryEventsOfThePromotedReplicaStillArrive() throws Exception {
    try (LocalRedisCluster cluster = LocalRedisCluster.builder().masters(3).replicasPerMaster(1).start()) {
      URI uri = URI.create(cluster.uri() + "/failover");
      CacheManager writerSide = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
      CacheManager listenerSide = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
      try {
        Cache<String, String> writer = writerSide.createCache("sessions", new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 100))));
        listenerSide.getCache("sessions", String.class, String.class).registerCacheEntryListener(
            new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(Recorder.class), null, false, false));
        assertTrue(everyExpiryHeard(writer, "before", 20), "expiry events before the failover");

        LocalRedisCluster.Node replica = cluster.replicas().get(0);
        try (Jedis jedis = replica.connect()) {
          jedis.clusterFailover();
          long deadline = System.currentTimeMillis() + 20_000;
          while (!jedis.info("replication").contains("role:master") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
          }
          assertTrue(jedis.info("replication").contains("role:master"), "the replica took over");
        }
        assertTrue(everyExpiryHeard(writer, "after", 30), "expiry events of every master after the failover");
      } finally {
        writerSide.close();
        listenerSide.close();
      }
    }
  }

  /** Writes batches of 30 short-lived entries (spread over all masters) until one batch is heard whole. */
  private static boolean everyExpiryHeard(Cache<String, String> writer, String prefix, int seconds)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    for (int batch = 0; System.currentTimeMillis() < deadline; batch++) {
      EXPIRED.clear();
      Set<String> written = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        String key = prefix + "-" + batch + "-" + i;
        try {
          writer.put(key, "token");
          written.add(key);
        } catch (javax.cache.CacheException e) {
          // the cluster is still electing: try the next batch
        }
      }
      Set<String> heard = new HashSet<>();
      long batchDeadline = System.currentTimeMillis() + 3_000;
      while (!heard.containsAll(written) && System.currentTimeMillis() < batchDeadline) {
        String key = EXPIRED.poll(100, TimeUnit.MILLISECONDS);
        if (key != null) {
          heard.add(key);
        }
      }
      if (written.size() == 30 && heard.containsAll(written)) {
        return true;
      }
    }
    return false;
  }

  /** Records the keys of EXPIRED events. */
  public static final class Recorder implements CacheEntryExpiredListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      for (CacheEntryEvent<? extends String, ? extends String> event : events) {
        EXPIRED.add(event.getKey());
      }
    }
  }
}
