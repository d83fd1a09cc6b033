package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Properties;
import java.util.UUID;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheRemoveAll;
import javax.cache.annotation.CacheResult;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * Two Weld containers stand in for two application servers: each has its own CacheManager (its own connections,
 * {@code CLIENT SETNAME server-a} / {@code server-b}) on the same cluster and namespace, so they share the caches.
 */
@ExtendWith(RedisClusterExtension.class)
class TwoServersTest {

  private static final String NAMESPACE = "cdi-servers-" + UUID.randomUUID().toString().substring(0, 8);

  static String clusterUri;

  private static WeldContainer serverA;
  private static WeldContainer serverB;
  private static Quotes quotesA;
  private static Quotes quotesB;

  @BeforeAll
  static void start(LocalRedisCluster cluster) {
    clusterUri = cluster.uri();
    serverA = Containers.start(new Server("server-a"), Quotes.class, ServerCacheResolverFactory.class);
    serverB = Containers.start(new Server("server-b"), Quotes.class, ServerCacheResolverFactory.class);
    quotesA = serverA.select(Quotes.class).get();
    quotesB = serverB.select(Quotes.class).get();
  }

  @AfterAll
  static void stop() {
    serverA.select(CacheManager.class).get().destroyCache("cdi-quotes");
    serverA.close();
    serverB.close();
  }

  @BeforeEach
  void reset() {
    quotesA.invalidateAll();
    quotesA.reset();
    quotesB.reset();
  }

  @Test
  void cacheResult_runsOncePerKey_acrossBothServers(LocalRedisCluster cluster) {
    for (int i = 0; i < 20; i++) {
      Quotes first = i % 2 == 0 ? quotesA : quotesB;
      Quotes second = i % 2 == 0 ? quotesB : quotesA;
      assertEquals("quote S" + i, first.quote("S" + i));
      assertEquals("quote S" + i, second.quote("S" + i));
    }
    assertEquals(10, quotesA.runs(), "server A computed only the keys it asked for first");
    assertEquals(10, quotesB.runs(), "server B computed only the keys it asked for first");
    CacheManager managerA = serverA.select(CacheManager.class).get();
    CacheManager managerB = serverB.select(CacheManager.class).get();
    assertNotEquals(managerA.getURI(), managerB.getURI());
    StringBuilder clients = new StringBuilder();
    for (LocalRedisCluster.Node master : cluster.masters()) {
      try (Jedis jedis = master.connect()) {
        clients.append(jedis.clientList());
      }
    }
    assertTrue(clients.indexOf("name=server-a") >= 0 && clients.indexOf("name=server-b") >= 0, clients.toString());
  }

  @Test
  void cacheRemove_onOneServer_makesTheOtherComputeAgain() {
    quotesA.quote("X");
    quotesB.quote("X");
    assertEquals(1, quotesA.runs() + quotesB.runs());
    quotesA.invalidate("X");
    quotesB.quote("X");
    quotesA.quote("X");
    assertEquals(1, quotesB.runs(), "B recomputed after A's @CacheRemove");
    assertEquals(1, quotesA.runs(), "A read B's fresh value");
  }

  @Test
  void cacheRemoveAll_onOneServer_emptiesTheCacheForBoth() {
    for (int i = 0; i < 5; i++) {
      quotesA.quote("Y" + i);
    }
    quotesB.invalidateAll();
    for (int i = 0; i < 5; i++) {
      quotesA.quote("Y" + i);
      quotesB.quote("Y" + i);
    }
    assertEquals(10, quotesA.runs());
    assertEquals(0, quotesB.runs());
  }

  /** The application: the same class on both servers. */
  @ApplicationScoped
  @CacheDefaults(cacheName = "cdi-quotes", cacheResolverFactory = ServerCacheResolverFactory.class)
  public static class Quotes extends CountedRuns {

    @CacheResult
    public String quote(String symbol) {
      ran("quote");
      return "quote " + symbol;
    }

    @CacheRemove
    public void invalidate(String symbol) {
    }

    @CacheRemoveAll
    public void invalidateAll() {
    }
  }

  /** Resolves caches from the server's own CacheManager: the default factory's behaviour on another manager. */
  @Dependent
  public static class ServerCacheResolverFactory extends DefaultCacheResolverFactory {
    @Inject
    ServerCacheResolverFactory(CacheManager manager) {
      super(manager);
    }
  }

  /**
   * Gives a container its server's own CacheManager, {@code CLIENT SETNAME clientName}, as an application's
   * producer would; it is closed with the container.
   */
  public static final class Server implements Extension {
    private final String namespace;
    private final String clientName;
    private final Properties properties;

    Server(String clientName) {
      this(NAMESPACE, clientName, new Properties());
    }

    /** The same on {@code namespace}, with the manager's {@code properties} (its settings). */
    Server(String namespace, String clientName, Properties properties) {
      this.namespace = namespace;
      this.clientName = clientName;
      this.properties = properties;
    }

    void addCacheManager(@Observes AfterBeanDiscovery event) {
      URI uri = URI.create(clusterUri + "/" + namespace + "?client-name=" + clientName);
      event.addBean().types(CacheManager.class, Object.class).scope(ApplicationScoped.class)
          .produceWith(beans -> Caching.getCachingProvider().getCacheManager(uri, TwoServersTest.class.getClassLoader(),
              properties))
          .disposeWith((manager, beans) -> manager.close());
    }
  }
}
