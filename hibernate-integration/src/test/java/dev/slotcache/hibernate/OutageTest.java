package dev.slotcache.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;

/** The dedicated region factory when Redis does not answer: transactions go on, the cache degrades to misses. */
@ExtendWith(RedisClusterExtension.class)
class OutageTest {

  private static Map<String, String> settings(String uri) {
    Map<String, String> settings = new HashMap<>();
    settings.put("hibernate.cache.region.factory_class", "slotcache");
    settings.put("hibernate.cache.slotcache.uri", uri);
    settings.put("slotcache.timeout", "200ms");
    settings.put("slotcache.connect-timeout", "200ms");
    settings.put("slotcache.max-attempts", "1");
    settings.put("slotcache.max-retry-time", "300ms");
    return settings;
  }

  private static String database() {
    return "jdbc:h2:mem:outage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Test
  void redisUnreachableFromTheStart_sessionFactoryStarts_andTransactionsCommitWithoutTheCache() {
    try (SessionFactory server = TwoServersContract.sessionFactory(database(), "create-drop",
        settings("redis://127.0.0.1:1/nowhere"))) {
      server.inTransaction(session -> session.persist(new Book(1L, "isbn-1", "one", null)));
      server.inTransaction(session -> session.find(Book.class, 1L).setTitle("two words"));
      assertEquals("two words", TwoServersContract.title(server, 1L));
      assertEquals(1, TwoServersContract.queryCount(server, "two"));
      assertEquals(0, server.getStatistics().getSecondLevelCacheHitCount());
      assertFalse(server.getCache().containsEntity(Book.class, 1L));
    }
  }

  @Test
  void failOpenOff_cacheFailuresReachTheCaller() {
    Map<String, String> settings = settings("redis://127.0.0.1:1/nowhere");
    settings.put(SlotcacheHibernateSettings.FAIL_OPEN, "false");
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> TwoServersContract.sessionFactory(database(), "create-drop", settings).close());
    Throwable cause = e;
    while (cause != null && !(cause instanceof org.hibernate.cache.CacheException)) {
      cause = cause.getCause();
    }
    assertTrue(cause != null && cause.getMessage().contains("second-level cache region"), String.valueOf(e));
  }

  @Test
  void redisPausedDuringAnUpdate_updateCommits_andTheStaleEntryIsClearedWhenRedisAnswers(LocalRedisCluster cluster)
      throws Exception {
    String uri = cluster.uri() + "/outage-" + UUID.randomUUID().toString().substring(0, 8);
    try (SessionFactory server = TwoServersContract.sessionFactory(database(), "create-drop", settings(uri))) {
      server.inTransaction(session -> session.persist(new Book(7L, "isbn-7", "before", null)));
      assertEquals("before", TwoServersContract.title(server, 7L));
      assertTrue(server.getCache().containsEntity(Book.class, 7L));

      long pausedUntil = System.currentTimeMillis() + 3_000;
      for (LocalRedisCluster.Node master : cluster.masters()) {
        try (Jedis jedis = master.connect()) {
          jedis.clientPause(3_000, ClientPauseMode.ALL);
        }
      }
      // The lock and the new state cannot reach Redis: the old state stays cached there.
      server.inTransaction(session -> session.find(Book.class, 7L).setTitle("after"));
      assertTrue(System.currentTimeMillis() < pausedUntil, "the update ran while Redis was paused");
      try (Session session = server.openSession()) {
        assertEquals("after", session.find(Book.class, 7L).getTitle(), "read from the database meanwhile");
      }
      Thread.sleep(Math.max(0, pausedUntil - System.currentTimeMillis()) + 2_500);

      assertEquals("after", TwoServersContract.title(server, 7L), "the stale entry was cleared on recovery");
      server.getStatistics().clear();
      assertEquals("after", TwoServersContract.title(server, 7L));
      assertEquals(1, server.getStatistics().getSecondLevelCacheHitCount(), "caching resumed");
    }
  }
}
