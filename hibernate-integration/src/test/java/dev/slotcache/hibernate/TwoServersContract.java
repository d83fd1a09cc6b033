package dev.slotcache.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two SessionFactories — two application servers, each with its own CacheManager and connections — share one
 * H2 database and one Redis Cluster namespace. Hibernate's statistics are the evidence. Each subclass wires the
 * second-level cache its own way; the tests are the same.
 */
@ExtendWith(RedisClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TwoServersContract {

  static final int CONCURRENCY_SECONDS = Integer.getInteger("slotcache-tests.hibernate.seconds", 3);

  SessionFactory serverA;
  SessionFactory serverB;
  private final AtomicLong ids = new AtomicLong(1_000);

  /** Hibernate settings that plug Slotcache in for one server; {@code clusterUri} ends with the namespace. */
  abstract Map<String, String> cacheSettings(String clusterUri, String serverName);

  @BeforeAll
  void startServers(LocalRedisCluster cluster) {
    String namespace = "hib-" + getClass().getSimpleName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    String database = "jdbc:h2:mem:" + namespace + ";DB_CLOSE_DELAY=-1";
    String clusterUri = cluster.uri() + "/" + namespace;
    serverA = sessionFactory(database, "create-drop", cacheSettings(clusterUri, "server-a"));
    serverB = sessionFactory(database, "none", cacheSettings(clusterUri, "server-b"));
  }

  @AfterAll
  void stopServers() {
    if (serverB != null) {
      serverB.close();
    }
    if (serverA != null) {
      serverA.close();
    }
  }

  @BeforeEach
  void clearStatistics() {
    serverA.getStatistics().clear();
    serverB.getStatistics().clear();
  }

  static SessionFactory sessionFactory(String database, String schemaAction, Map<String, String> cache) {
    Configuration configuration = new Configuration()
        .addAnnotatedClass(Book.class)
        .addAnnotatedClass(Author.class)
        .addAnnotatedClass(Counter.class)
        .setProperty("hibernate.connection.url", database)
        .setProperty("hibernate.connection.username", "sa")
        .setProperty("hibernate.connection.password", "")
        .setProperty("hibernate.connection.pool_size", "12")
        .setProperty("hibernate.hbm2ddl.auto", schemaAction)
        .setProperty("hibernate.generate_statistics", "true")
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.use_query_cache", "true");
    cache.forEach(configuration::setProperty);
    return configuration.buildSessionFactory();
  }

  long newId() {
    return ids.incrementAndGet();
  }

  @Test
  void hundredEntitiesLoadedByOneServer_areCacheHitsInTheOther_withoutSql() {
    List<Long> books = new ArrayList<>();
    serverA.inTransaction(session -> {
      Author author = new Author(newId(), "Ursula");
      session.persist(author);
      for (int i = 0; i < 100; i++) {
        long id = newId();
        books.add(id);
        session.persist(new Book(id, "isbn-" + id, "Book " + id, author));
      }
    });
    serverA.getCache().evictEntityData(Book.class);
    serverA.getStatistics().clear();
    try (Session session = serverA.openSession()) {
      for (long id : books) {
        assertNotNull(session.find(Book.class, id));
      }
    }
    Statistics a = serverA.getStatistics();
    assertEquals(100, a.getSecondLevelCachePutCount(), "server A caches what it loads");

    Statistics b = serverB.getStatistics();
    b.clear();
    try (Session session = serverB.openSession()) {
      for (long id : books) {
        assertEquals("Book " + id, session.find(Book.class, id).getTitle());
      }
    }
    assertEquals(100, b.getSecondLevelCacheHitCount(), "every entity is a hit on server B");
    assertEquals(0, b.getSecondLevelCacheMissCount());
    assertEquals(0, b.getPrepareStatementCount(), "no SQL on server B");
  }

  @Test
  void updateCommittedByOneServer_isReadFreshByTheOther() {
    long id = newId();
    serverA.inTransaction(session -> session.persist(new Book(id, "isbn-" + id, "first", null)));
    assertEquals("first", title(serverB, id));
    serverA.inTransaction(session -> session.find(Book.class, id).setTitle("second"));
    serverB.getStatistics().clear();
    assertEquals("second", title(serverB, id));
    assertEquals(1, serverB.getStatistics().getSecondLevelCacheHitCount(), "the new state is cached at commit");
    serverB.inTransaction(session -> session.find(Book.class, id).setTitle("third"));
    assertEquals("third", title(serverA, id));
  }

  @Test
  void collectionCachedByOneServer_isAHitInTheOther_andInvalidatedByTheOther() {
    long authorId = newId();
    serverA.inTransaction(session -> {
      Author author = new Author(authorId, "Tove");
      session.persist(author);
      for (int i = 0; i < 3; i++) {
        long id = newId();
        session.persist(new Book(id, "isbn-" + id, "Moomin " + i, author));
      }
    });
    assertEquals(3, bookCount(serverA, authorId));
    String role = Author.class.getName() + ".books";
    serverB.getStatistics().clear();
    assertEquals(3, bookCount(serverB, authorId));
    assertEquals(1, serverB.getStatistics().getCollectionStatistics(role).getCacheHitCount());
    serverA.inTransaction(session -> {
      Author author = session.find(Author.class, authorId);
      long id = newId();
      Book book = new Book(id, "isbn-" + id, "Moomin 3", author);
      author.getBooks().add(book);
      session.persist(book);
    });
    assertEquals(4, bookCount(serverB, authorId), "server B does not see the stale collection");
  }

  @Test
  void queryCachedByOneServer_isAHitInTheOther_untilATableChanges() {
    String tag = "q" + newId();
    serverA.inTransaction(session -> {
      for (int i = 0; i < 5; i++) {
        long id = newId();
        session.persist(new Book(id, "isbn-" + id, tag + " " + i, null));
      }
    });
    assertEquals(5, queryCount(serverA, tag));
    serverB.getStatistics().clear();
    assertEquals(5, queryCount(serverB, tag));
    assertEquals(1, serverB.getStatistics().getQueryCacheHitCount(), "server A's cached result serves server B");
    long extra = newId();
    serverA.inTransaction(session -> session.persist(new Book(extra, "isbn-" + extra, tag + " x", null)));
    serverB.getStatistics().clear();
    assertEquals(6, queryCount(serverB, tag), "an insert on server A invalidates the result on server B");
    assertEquals(0, serverB.getStatistics().getQueryCacheHitCount());
  }

  @Test
  @SuppressWarnings("deprecation") // bySimpleNaturalId also runs on Hibernate 6.6, find(..., KeyType.NATURAL) not
  void naturalIdResolvedByOneServer_isAHitInTheOther() {
    long id = newId();
    serverA.inTransaction(session -> session.persist(new Book(id, "isbn-n" + id, "natural", null)));
    try (Session session = serverA.openSession()) {
      assertEquals(id, session.bySimpleNaturalId(Book.class).load("isbn-n" + id).getId());
    }
    serverB.getStatistics().clear();
    try (Session session = serverB.openSession()) {
      assertEquals(id, session.bySimpleNaturalId(Book.class).load("isbn-n" + id).getId());
    }
    assertEquals(1, serverB.getStatistics().getNaturalIdCacheHitCount());
    assertEquals(0, serverB.getStatistics().getNaturalIdCacheMissCount());
  }

  @Test
  void bulkUpdateAndDelete_onOneServer_invalidateTheRegionForTheOther() {
    long first = newId();
    long second = newId();
    serverA.inTransaction(session -> {
      session.persist(new Book(first, "isbn-" + first, "bulk", null));
      session.persist(new Book(second, "isbn-" + second, "bulk", null));
    });
    assertEquals(0, copies(serverB, first));
    assertTrue(serverB.getCache().containsEntity(Book.class, first));
    serverA.inTransaction(session -> session.createMutationQuery(
        "update Book set copies = copies + 7 where id in (:a, :b)").setParameter("a", first).setParameter("b", second)
        .executeUpdate());
    assertFalse(serverB.getCache().containsEntity(Book.class, first), "the bulk update evicted the region");
    assertEquals(7, copies(serverB, first));
    assertEquals(7, copies(serverB, second));
    assertTrue(serverB.getCache().containsEntity(Book.class, second));
    serverA.inTransaction(session -> session.createMutationQuery("delete from Book where id = :a")
        .setParameter("a", first).executeUpdate());
    assertFalse(serverB.getCache().containsEntity(Book.class, second), "the bulk delete evicted the region");
    try (Session session = serverB.openSession()) {
      assertEquals(null, session.find(Book.class, first));
    }
  }

  @Test
  void evictAll_ofOneRegion_leavesTheOthers() {
    long authorId = newId();
    long bookId = newId();
    serverA.inTransaction(session -> {
      Author author = new Author(authorId, "Astrid");
      session.persist(author);
      session.persist(new Book(bookId, "isbn-" + bookId, "Pippi", author));
    });
    title(serverA, bookId);
    try (Session session = serverA.openSession()) {
      session.find(Author.class, authorId);
    }
    assertTrue(serverB.getCache().containsEntity(Book.class, bookId));
    assertTrue(serverB.getCache().containsEntity(Author.class, authorId));
    serverA.getCache().evictEntityData(Book.class);
    assertFalse(serverB.getCache().containsEntity(Book.class, bookId), "evicted on server A, gone for server B");
    assertTrue(serverB.getCache().containsEntity(Author.class, authorId), "another region is untouched");
  }

  /**
   * Several threads on each server update and read the same counters; afterwards every cached counter must
   * hold the database's value, on both servers.
   */
  @Test
  void concurrentUpdatesFromBothServers_leaveTheCacheEqualToTheDatabase() throws Exception {
    int counters = 12;
    int threadsPerServer = 4;
    long base = newId() * 1_000;
    ids.addAndGet(counters);
    serverA.inTransaction(session -> {
      for (int i = 0; i < counters; i++) {
        session.persist(new Counter(base + i, 0));
      }
    });
    AtomicLong updates = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONCURRENCY_SECONDS);
    ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerServer);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 2 * threadsPerServer; t++) {
      SessionFactory server = t % 2 == 0 ? serverA : serverB;
      workers.add(pool.submit(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < deadline) {
          long id = base + random.nextInt(counters);
          if (random.nextBoolean()) {
            long value = random.nextLong(1, Long.MAX_VALUE);
            server.inTransaction(session -> session.find(Counter.class, id).setValue(value));
            updates.incrementAndGet();
          } else {
            try (Session session = server.openSession()) {
              session.find(Counter.class, id);
            }
            reads.incrementAndGet();
          }
        }
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> worker : workers) {
      worker.get(CONCURRENCY_SECONDS + 60L, TimeUnit.SECONDS);
    }
    List<String> stale = new ArrayList<>();
    int cached = 0;
    for (SessionFactory server : List.of(serverA, serverB)) {
      for (int i = 0; i < counters; i++) {
        long id = base + i;
        long inDatabase = databaseValue(server, id);
        server.getStatistics().clear();
        long seen;
        try (Session session = server.openSession()) {
          seen = session.find(Counter.class, id).getValue();
        }
        if (server.getStatistics().getSecondLevelCacheHitCount() == 1) {
          cached++;
        }
        if (seen != inDatabase) {
          stale.add((server == serverA ? "A" : "B") + ": counter " + id + " cached " + seen + ", database " + inDatabase);
        }
      }
    }
    System.out.printf("%s: %d updates, %d reads in %d s; %d of %d final reads were cache hits; %d stale%n",
        getClass().getSimpleName(), updates.get(), reads.get(), CONCURRENCY_SECONDS, cached, 2 * counters,
        stale.size());
    assertTrue(updates.get() > 50, "the test did real work: " + updates.get() + " updates");
    assertTrue(cached > 0, "the final reads came (partly) from the cache: " + cached);
    assertEquals(List.of(), stale, "stale cache entries after " + updates.get() + " concurrent updates");
  }

  static String title(SessionFactory server, long id) {
    try (Session session = server.openSession()) {
      return session.find(Book.class, id).getTitle();
    }
  }

  static int copies(SessionFactory server, long id) {
    try (Session session = server.openSession()) {
      return session.find(Book.class, id).getCopies();
    }
  }

  static int bookCount(SessionFactory server, long authorId) {
    try (Session session = server.openSession()) {
      return session.find(Author.class, authorId).getBooks().size();
    }
  }

  static int queryCount(SessionFactory server, String tag) {
    try (Session session = server.openSession()) {
      return session.createSelectionQuery("from Book where title like :t", Book.class)
          .setParameter("t", tag + " %").setCacheable(true).getResultList().size();
    }
  }

  static long databaseValue(SessionFactory server, long id) {
    try (Session session = server.openSession()) {
      return session.createNativeQuery("select val from Counter where id = :id", Long.class)
          .setParameter("id", id).getSingleResult();
    }
  }
}
