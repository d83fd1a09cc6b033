package dev.slotcache.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
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

/**
 * Entity lookups by id, each in a fresh session (so the first-level cache never answers), with no second-level
 * cache ({@code cache=none}: every lookup is a SQL query) against Slotcache's region factory
 * ({@code cache=slotcache}: every lookup is one {@code GET}). The database is H2 in server mode, started in this
 * process and reached over TCP on loopback, so "no cache" pays a real database round trip, as an application's
 * would (though a short one: no network, no disk). {@link HibernateReport} runs both and prints the ratio.
 *
 * <p>The cluster comes from system property {@code bench.uri}, set by the report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HibernateBenchmark {

  static final int ENTITIES = 1_000;

  @Param({"none", "slotcache"})
  public String cache;

  private Server database;
  private SessionFactory sessionFactory;

  @Setup(Level.Trial)
  public void start() throws SQLException, IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    // -ifNotExists lets the first connection create the in-memory database; without -tcpAllowOthers only
    // loopback connections are accepted.
    database = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
    String name = "bench" + UUID.randomUUID().toString().replace("-", "");
    Configuration configuration = new Configuration()
        .addAnnotatedClass(BenchItem.class)
        .setProperty("hibernate.connection.url", "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:" + name
            + ";DB_CLOSE_DELAY=-1")
        .setProperty("hibernate.connection.username", "sa")
        .setProperty("hibernate.connection.password", "")
        .setProperty("hibernate.connection.pool_size", "16")
        .setProperty("hibernate.hbm2ddl.auto", "create-drop");
    if (cache.equals("slotcache")) {
      String uri = System.getProperty("bench.uri");
      if (uri == null) {
        throw new IllegalStateException("system property bench.uri is not set; run HibernateReport");
      }
      configuration
          .setProperty("hibernate.cache.use_second_level_cache", "true")
          .setProperty("hibernate.cache.region.factory_class", "slotcache")
          .setProperty("hibernate.cache.slotcache.uri", uri + "/" + name);
    } else {
      configuration.setProperty("hibernate.cache.use_second_level_cache", "false");
    }
    sessionFactory = configuration.buildSessionFactory();
    sessionFactory.inTransaction(session -> {
      for (long id = 0; id < ENTITIES; id++) {
        session.persist(new BenchItem(id, "item " + id, "a description of item " + id, id * 100));
      }
    });
    // Fill the cache (no-op without one): every measured lookup is then a hit.
    for (long id = 0; id < ENTITIES; id++) {
      try (Session session = sessionFactory.openSession()) {
        session.find(BenchItem.class, id);
      }
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (sessionFactory != null) {
      sessionFactory.close();
    }
    if (database != null) {
      database.stop();
    }
  }

  @Benchmark
  public String findById() {
    long id = ThreadLocalRandom.current().nextLong(ENTITIES);
    try (Session session = sessionFactory.openSession()) {
      return session.find(BenchItem.class, id).getName();
    }
  }
}
