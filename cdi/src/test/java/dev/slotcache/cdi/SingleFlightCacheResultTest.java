package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.testkit.Crowd;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import javax.cache.CacheManager;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheResult;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @CacheResult} on a slow method, from two Weld containers (as two servers) × 8 threads at once on cold
 * keys: on a cache with {@code single-flight} on (the default) the method runs once per key across both servers and
 * every caller gets the cached result; on a cache where the per-cache setting turns it off, callers run it each.
 */
@ExtendWith(RedisClusterExtension.class)
class SingleFlightCacheResultTest {

  private static final String NAMESPACE = "cdi-once-" + UUID.randomUUID().toString().substring(0, 8);
  private static final int THREADS_PER_SERVER = 8;
  private static final List<String> SYMBOLS = List.of("ACME", "INIT", "GLOB");
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  private static WeldContainer serverA;
  private static WeldContainer serverB;

  @BeforeAll
  static void start(LocalRedisCluster cluster) {
    TwoServersTest.clusterUri = cluster.uri();
    Properties properties = new Properties();
    properties.setProperty("slotcache.cache.cdi-each.single-flight", "false"); // for this cache alone
    serverA = Containers.start(new TwoServersTest.Server(NAMESPACE, "server-a", properties), SlowQuotes.class,
        ServerResolvers.class);
    serverB = Containers.start(new TwoServersTest.Server(NAMESPACE, "server-b", properties), SlowQuotes.class,
        ServerResolvers.class);
  }

  @AfterAll
  static void stop() {
    CacheManager manager = serverA.select(CacheManager.class).get();
    manager.destroyCache("cdi-once");
    manager.destroyCache("cdi-each");
    serverA.close();
    serverB.close();
  }

  @Test
  void cacheResult_onASingleFlightCache_runsTheMethodOncePerKeyAcrossBothServers() throws Exception {
    Map<String, Set<String>> seen = run(SlowQuotes::quote);
    for (String symbol : SYMBOLS) {
      assertEquals(1, RUNS.get("quote " + symbol).get(), "runs for " + symbol);
      assertEquals(1, seen.get(symbol).size(), "results callers got for " + symbol + ": " + seen.get(symbol));
      assertEquals(seen.get(symbol), Set.of(serverB.select(SlowQuotes.class).get().quote(symbol)), "the cached one");
    }
  }

  @Test
  void cacheResult_withSingleFlightOffForTheCache_letsEveryCallerRunIt() throws Exception {
    run(SlowQuotes::quoteEach);
    for (String symbol : SYMBOLS) {
      int runs = RUNS.get("quoteEach " + symbol).get();
      assertTrue(runs > 2, "runs for " + symbol + ": " + runs + " (single-flight is off for cdi-each)");
    }
  }

  /** 8 threads per server, all at once, each asking for every symbol; what each caller got, per symbol. */
  private static Map<String, Set<String>> run(BiFunction<SlowQuotes, String, String> call) throws Exception {
    List<SlowQuotes> servers = List.of(serverA.select(SlowQuotes.class).get(), serverB.select(SlowQuotes.class).get());
    call.apply(servers.get(0), "warm-up"); // the interceptors create the cache before the crowd arrives
    Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    Crowd.run(THREADS_PER_SERVER * 2, Duration.ofSeconds(60), t -> {
      for (String symbol : SYMBOLS) {
        seen.computeIfAbsent(symbol, k -> ConcurrentHashMap.newKeySet()).add(call.apply(servers.get(t % 2), symbol));
      }
    });
    return seen;
  }

  /** A slow lookup: 200 ms per call, each result its own (so that private copies would show). */
  @ApplicationScoped
  @CacheDefaults(cacheResolverFactory = ServerResolvers.class)
  public static class SlowQuotes {

    @CacheResult(cacheName = "cdi-once")
    public String quote(String symbol) {
      return slowly("quote", symbol);
    }

    private static String slowly(String method, String symbol) {
      RUNS.computeIfAbsent(method + " " + symbol, k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return symbol + " @ " + UUID.randomUUID();
    }

    /** The same on a cache whose single-flight setting is off. */
    @CacheResult(cacheName = "cdi-each")
    public String quoteEach(String symbol) {
      return slowly("quoteEach", symbol);
    }
  }

  /** Resolves caches from the server's own CacheManager. */
  @Dependent
  public static class ServerResolvers extends DefaultCacheResolverFactory {
    @Inject
    ServerResolvers(CacheManager manager) {
      super(manager);
    }
  }
}
