package dev.slotcache.examples;

import dev.slotcache.configuration.SlotcacheConfiguration;
import dev.slotcache.examples.annotated.PriceService;
import dev.slotcache.examples.annotated.PricingConfiguration;
import dev.slotcache.SlotcacheCacheManager;
import dev.slotcache.testkit.LocalRedisCluster;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.RedisClusterClient;
import dev.slotcache.examples.orm.Book;
import dev.slotcache.examples.orm.Library;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A short tour of Slotcache against a throwaway local cluster (or the cluster in {@code SLOTCACHE_URI}):
 * plain JCache, where keys land in the cluster, batches, atomic invoke, native TTLs, an annotated service on
 * Spring, Hibernate entities in the second-level cache, and latency. On the way out it removes every key it
 * created, and only those.
 */
public final class Showcase {

  /** Hash slots of a Redis Cluster. */
  private static final int SLOTS = 16384;

  /** Hibernate's regions live in their own namespace, the tour's plus this. */
  private static final String ORM_SUFFIX = "-orm";

  private Showcase() {
  }

  public static void main(String[] args) throws Exception {
    String external = System.getenv("SLOTCACHE_URI");
    if (external != null && !external.isBlank()) {
      String clusterUri = external.replaceAll("\\?.*$", "").replaceAll("(redis(s)?://[^/]+)/.*$", "$1");
      say("Cluster: %s (from SLOTCACHE_URI)", clusterUri.replaceAll("//[^@/]*@", "//****@"));
      run(clusterUri);
      return;
    }
    long started = System.nanoTime();
    try (LocalRedisCluster local = LocalRedisCluster.start(3)) {
      say("Cluster: throwaway local Redis %s cluster, 3 masters at %s (started in %d ms)", local.redisVersion(),
          local.uri(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      run(local.uri());
    }
    say("Local cluster stopped.");
  }

  /**
   * The tour, against the cluster at {@code clusterUri} ({@code redis://host:port,...}); then it removes every key it
   * created, also when the tour fails. Its namespaces are new (no key under them) so that they hold only its keys.
   */
  static void run(String clusterUri) throws Exception {
    Set<HostAndPort> seeds = new HashSet<>();
    for (String seed : clusterUri.substring(clusterUri.indexOf("://") + 3).split(",")) {
      seeds.add(HostAndPort.from(seed.replaceAll("^.*@", "")));
    }
    String[] owners = slotOwners(seeds.iterator().next());
    List<HostAndPort> masters = Arrays.stream(owners).filter(Objects::nonNull).distinct().map(HostAndPort::from)
        .toList();
    try (RedisClusterClient raw = RedisClusterClient.create(seeds)) {
      NamespaceCleanup cleanup = new NamespaceCleanup(raw, masters);
      long keysBefore = cleanup.keysInCluster();
      String namespace;
      do {
        namespace = "showcase-" + Long.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
      } while (cleanup.keysUnder(namespace) + cleanup.keysUnder(namespace + ORM_SUFFIX) > 0);
      CacheManager manager = Caching.getCachingProvider().getCacheManager(URI.create(clusterUri + "/" + namespace),
          Showcase.class.getClassLoader());
      try {
        tour(manager, raw, namespace, owners);
        annotatedService(clusterUri, namespace);
        hibernate(clusterUri, namespace, owners);
        latencies(manager);
        say("%nDone.");
      } finally {
        cleanUp(cleanup, manager, clusterUri, namespace, keysBefore);
      }
    }
  }

  /** Destroys the caches of both namespaces (the tour's and Spring's, Hibernate's regions) and what is left there. */
  private static void cleanUp(NamespaceCleanup cleanup, CacheManager manager, String clusterUri, String namespace,
      long keysBefore) {
    long removed;
    try {
      removed = cleanup.removeAll(manager);
    } finally {
      manager.close();
    }
    CacheManager orm = Caching.getCachingProvider().getCacheManager(
        URI.create(clusterUri + "/" + namespace + ORM_SUFFIX), Showcase.class.getClassLoader());
    try {
      removed += cleanup.removeAll(orm);
    } finally {
      orm.close();
    }
    long keysAfter = cleanup.keysInCluster();
    say("%nClean-up: removed %,d keys it created (under %s and %s%s); %s.", removed, namespace, namespace,
        ORM_SUFFIX, keysAfter == keysBefore
            ? "the cluster holds what it held before (" + keysBefore + " keys)"
            : "none of its keys remain (the cluster's other keys went from " + keysBefore + " to " + keysAfter
                + " meanwhile: other clients or expiry)");
  }

  private static void tour(CacheManager manager, RedisClusterClient raw, String namespace, String[] owners)
      throws Exception {
    say("%n1. Plain JCache");
    Cache<String, String> users = manager.createCache("users", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class));
    users.put("alice", "Alice Liddell");
    say("   users.put(\"alice\", ...) then users.get(\"alice\") -> %s", users.get("alice"));
    say("   users.get(\"bob\") -> %s (a miss)", users.get("bob"));
    int segments = segmentsOf(users);
    SlotcacheCacheManager slotcache = manager.unwrap(SlotcacheCacheManager.class);
    byte[] key = slotcache.redisKeyOf("users", "alice");
    int slot = JedisClusterCRC16.getSlot(key);
    say("   stored in Redis as %s  (slot %d, on master %s, TTL %d)", new String(key, StandardCharsets.UTF_8),
        slot, owners[slot], raw.pttl(key));

    say("%n2. One cache, spread over every master (%d segments)", segments);
    Cache<Integer, String> orders = manager.createCache("orders", new MutableConfiguration<>());
    Map<Integer, String> batch = new HashMap<>();
    for (int i = 0; i < 3_000; i++) {
      batch.put(i, "order " + i);
    }
    long t0 = System.nanoTime();
    orders.putAll(batch);
    say("   putAll of 3,000 entries: %.1f ms (one pipeline per master, masters in parallel)", ms(t0));
    Map<String, Integer> perMaster = new TreeMap<>();
    for (int i = 0; i < 3_000; i++) {
      byte[] redisKey = slotcache.redisKeyOf("orders", i);
      perMaster.merge(owners[JedisClusterCRC16.getSlot(redisKey)], 1, Integer::sum);
    }
    perMaster.forEach((node, count) -> say("   master %s holds %,d entries", node, count));
    Set<Integer> hundred = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      hundred.add(i * 30);
    }
    t0 = System.nanoTime();
    Map<Integer, String> found = orders.getAll(hundred);
    say("   getAll of 100 keys: %d found in %.2f ms", found.size(), ms(t0));

    say("%n3. Atomic invoke across threads");
    Cache<String, Long> counters = manager.createCache("counters", new MutableConfiguration<String, Long>()
        .setTypes(String.class, Long.class));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      futures.add(pool.submit(() -> {
        for (int i = 0; i < 500; i++) {
          counters.invoke("visits", (entry, a) -> {
            entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
            return null;
          });
        }
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    say("   4 threads x 500 increments -> %d (optimistic transactions in Redis: WATCH, MULTI/EXEC; no lost update)",
        counters.get("visits"));

    say("%n4. Expiry is a native Redis TTL");
    Cache<String, String> sessions = manager.createCache("sessions", new MutableConfiguration<String, String>()
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 300))));
    sessions.put("s1", "token");
    byte[] sessionKey = slotcache.redisKeyOf("sessions", "s1");
    say("   put with CreatedExpiryPolicy(300 ms): PTTL in Redis = %d ms, get -> %s", raw.pttl(sessionKey),
        sessions.get("s1"));
    Thread.sleep(400);
    say("   400 ms later: get -> %s (Redis removed it; no JVM had to)", sessions.get("s1"));

  }

  /** Two Spring application contexts ("application servers") share an annotated service's cache. */
  private static void annotatedService(String clusterUri, String namespace) {
    say("%n5. An annotated service: @CacheResult through Spring's JCache support");
    try (AnnotationConfigApplicationContext serverA =
             PricingConfiguration.start(URI.create(clusterUri + "/" + namespace + "?client-name=server-a"));
         AnnotationConfigApplicationContext serverB =
             PricingConfiguration.start(URI.create(clusterUri + "/" + namespace + "?client-name=server-b"))) {
      PriceService a = serverA.getBean(PriceService.class);
      PriceService b = serverB.getBean(PriceService.class);
      long t0 = System.nanoTime();
      long price = a.priceInCents("978-0141439518");
      say("   server A: priceInCents(\"978-0141439518\") = %d in %.1f ms (a miss: the method ran)", price, ms(t0));
      t0 = System.nanoTime();
      a.priceInCents("978-0141439518");
      say("   server A: again in %.2f ms (a hit in Redis)", ms(t0));
      t0 = System.nanoTime();
      b.priceInCents("978-0141439518");
      say("   server B: same call in %.2f ms (a hit: A's result, from the cluster; B's first call also connects)",
          ms(t0));
      b.priceChanged("978-0141439518");
      a.priceInCents("978-0141439518");
      say("   server B: @CacheRemove priceChanged(...); server A then recomputes. The method ran %d times in all.",
          PriceService.computed());
    }
  }

  /** Two SessionFactories ("application servers") on one database share the second-level cache. */
  private static void hibernate(String clusterUri, String namespace, String[] owners) {
    say("%n6. Hibernate entities in the second-level cache (region factory \"slotcache\", H2 in memory)");
    System.setProperty("org.jboss.logging.provider", "slf4j"); // Hibernate's log through slf4j-simple, at warn
    String database = "jdbc:h2:mem:" + namespace + ";DB_CLOSE_DELAY=-1";
    String cacheUri = clusterUri + "/" + namespace + ORM_SUFFIX;
    try (SessionFactory serverA = Library.server(database, cacheUri + "?client-name=orm-a", true);
         SessionFactory serverB = Library.server(database, cacheUri + "?client-name=orm-b", false)) {
      serverA.inTransaction(session -> {
        for (long id = 1; id <= 20; id++) {
          session.persist(new Book(id, "Book " + id));
        }
      });
      serverA.getCache().evictEntityData(Book.class); // start cold: persist already cached the new books
      serverA.getStatistics().clear();
      long t0 = System.nanoTime();
      for (long id = 1; id <= 20; id++) {
        long bookId = id;
        serverA.inSession(session -> session.find(Book.class, bookId));
      }
      Statistics a = serverA.getStatistics();
      say("   server A: 20 finds in %.1f ms: %d SQL statements, %d cache hits, %d misses, %d cache puts", ms(t0),
          a.getPrepareStatementCount(), a.getSecondLevelCacheHitCount(), a.getSecondLevelCacheMissCount(),
          a.getSecondLevelCachePutCount());
      t0 = System.nanoTime();
      for (long id = 1; id <= 20; id++) {
        long bookId = id;
        serverB.inSession(session -> session.find(Book.class, bookId));
      }
      Statistics b = serverB.getStatistics();
      say("   server B: 20 finds in %.1f ms: %d SQL statements, %d cache hits (server A's entries, from Redis)",
          ms(t0), b.getPrepareStatementCount(), b.getSecondLevelCacheHitCount());
      serverA.inTransaction(session -> session.find(Book.class, 7L).setTitle("Book 7, second edition"));
      String title = serverB.fromSession(session -> session.find(Book.class, 7L).getTitle());
      say("   server A renames book 7 and commits; server B reads \"%s\" (no stale read)", title);
      SlotcacheCacheManager ormManager = Caching.getCachingProvider()
          .getCacheManager(URI.create(cacheUri + "?client-name=orm-a"), Showcase.class.getClassLoader())
          .unwrap(SlotcacheCacheManager.class);
      Map<String, Long> perMaster = keysPerMaster(ormManager.keyPattern("books"), owners);
      say("   the region \"books\" is one Slotcache cache spread over the masters: %s", perMaster);
    }
  }

  /** Keys matching a cache's key pattern, counted per master with SCAN on each master. */
  private static Map<String, Long> keysPerMaster(String pattern, String[] owners) {
    Map<String, Long> counts = new TreeMap<>();
    ScanParams params = new ScanParams().match(pattern.getBytes(StandardCharsets.UTF_8)).count(1_000);
    for (String owner : new java.util.TreeSet<>(Arrays.asList(owners))) {
      try (Jedis node = new Jedis(HostAndPort.from(owner),
          DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build())) {
        long mine = 0;
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        do {
          ScanResult<byte[]> page = node.scan(cursor, params);
          mine += page.getResult().size();
          cursor = page.getCursorAsBytes();
        } while (!Arrays.equals(cursor, ScanParams.SCAN_POINTER_START_BINARY));
        counts.put(owner, mine);
      }
    }
    return counts;
  }

  private static void latencies(CacheManager manager) {
    say("%n7. Latency (2,000 calls each, this machine)");
    Cache<String, String> users = manager.getCache("users", String.class, String.class);
    users.put("hot", "x".repeat(100));
    latency("get (hit)", () -> users.get("hot"));
    latency("put", () -> users.put("hot", "x".repeat(100)));
    latency("containsKey", () -> users.containsKey("hot"));
  }

  private static void latency(String what, Runnable op) {
    long[] nanos = new long[2_000];
    for (int i = 0; i < 200; i++) {
      op.run();
    }
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      op.run();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    say("   %-12s p50 %5.0f us   p99 %5.0f us", what, nanos[nanos.length / 2] / 1e3, nanos[nanos.length * 99 / 100] / 1e3);
  }

  private static int segmentsOf(Cache<?, ?> cache) {
    return SlotcacheConfiguration.of(cache).getSegments();
  }

  /** Which master owns each slot, read once with CLUSTER SLOTS from any node. */
  private static String[] slotOwners(HostAndPort seed) {
    String[] owners = new String[SLOTS];
    try (Jedis jedis = new Jedis(seed, DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build())) {
      for (Object entry : (List<?>) jedis.sendCommand(Protocol.Command.CLUSTER, "SLOTS")) {
        List<?> range = (List<?>) entry;
        List<?> master = (List<?>) range.get(2);
        String node = new String((byte[]) master.get(0), StandardCharsets.UTF_8) + ":" + master.get(1);
        for (long slot = (Long) range.get(0); slot <= (Long) range.get(1); slot++) {
          owners[(int) slot] = node;
        }
      }
    }
    return owners;
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }
}
