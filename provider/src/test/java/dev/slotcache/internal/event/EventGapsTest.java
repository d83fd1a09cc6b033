package dev.slotcache.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.slotcache.LogCapture;
import dev.slotcache.SlotcacheCacheManager;
import dev.slotcache.spi.SlotcacheCachingProvider;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/** A lost subscription is a gap in the events this JVM hears: it is counted, and the log says so. */
@ExtendWith(RedisClusterExtension.class)
class EventGapsTest {

  @Test
  void subscriptionsKilled_gapsAreCountedAndWarned(LocalRedisCluster cluster) throws Exception {
    String name = "gaps-" + UUID.randomUUID().toString().substring(0, 8);
    URI uri = URI.create(cluster.uri() + "/" + name + "?client-name=" + name);
    try (LogCapture log = new LogCapture();
        CacheManager manager = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader())) {
      manager.createCache("c", new MutableConfiguration<String, String>().setTypes(String.class, String.class))
          .registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<>(
              FactoryBuilder.factoryOf(Ignore.class), null, false, false));
      SlotcacheCacheManager slotcache = manager.unwrap(SlotcacheCacheManager.class);

      // One subscription for other JVMs' events plus one for expiries per master, once they are up.
      long deadline = System.currentTimeMillis() + 5_000;
      List<String> subscribers = subscribers(cluster, name);
      while (subscribers.size() < cluster.masters().size() + 1 && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
        subscribers = subscribers(cluster, name);
      }
      assertEquals(cluster.masters().size() + 1, subscribers.size(), "subscriptions: " + subscribers);
      assertEquals(0, slotcache.eventGaps());

      for (LocalRedisCluster.Node master : cluster.masters()) {
        try (Jedis jedis = master.connect()) {
          for (String line : jedis.clientList().split("\n")) {
            if (line.contains(" name=" + name + " ") && !line.contains(" psub=0 ")) {
              jedis.clientKill(ClientKillParams.clientKillParams().id(field(line, "id")));
            }
          }
        }
      }

      deadline = System.currentTimeMillis() + 5_000;
      while (slotcache.eventGaps() < subscribers.size() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(subscribers.size(), slotcache.eventGaps(), log.all());
      List<String> warnings = log.messages(Level.WARN).stream()
          .filter(m -> m.contains("events published meanwhile may have been lost; gaps so far: ")).toList();
      assertEquals(1, warnings.size(), "one warning, the others within the interval are not repeated:\n" + log.all());
      assertTrue(warnings.get(0).endsWith("gaps so far: 1"), warnings.get(0));
      assertTrue(log.events().stream().filter(e -> e.getLevel() == Level.WARN)
          .allMatch(e -> e.getLoggerName().startsWith("dev.slotcache.")), log.all());
      manager.destroyCache("c");
    }
  }

  /** The pub/sub connections of client name {@code name}, as "port id". */
  private static List<String> subscribers(LocalRedisCluster cluster, String name) {
    List<String> found = new ArrayList<>();
    for (LocalRedisCluster.Node master : cluster.masters()) {
      try (Jedis jedis = master.connect()) {
        for (String line : jedis.clientList().split("\n")) {
          if (line.contains(" name=" + name + " ") && !line.contains(" psub=0 ")) {
            found.add(master.port() + " " + field(line, "id"));
          }
        }
      }
    }
    return found;
  }

  private static String field(String clientListLine, String key) {
    for (String part : clientListLine.split(" ")) {
      if (part.startsWith(key + "=")) {
        return part.substring(key.length() + 1);
      }
    }
    throw new IllegalArgumentException(key + " not in " + clientListLine);
  }

  /** A listener, so that the manager subscribes. */
  public static final class Ignore implements CacheEntryCreatedListener<String, String>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
      // only its presence matters
    }
  }
}
