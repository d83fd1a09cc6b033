package dev.slotcache.examples;

import dev.slotcache.SlotcacheCacheManager;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.cache.CacheManager;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Takes away what the showcase brought to a cluster that may be a user's own: every cache of a namespace (entries
 * and its field in the namespace's cache registry, {@code <namespace>:caches}), including caches other managers
 * created there (Spring's, Hibernate's regions), then any key still under the namespace (listener leases). Use it
 * only on namespaces found empty before the run: everything under them is then the run's own. Touches no other key.
 */
final class NamespaceCleanup {

  private static final int SCAN_COUNT = 1_000;

  private final RedisClusterClient raw;
  private final List<HostAndPort> masters;

  NamespaceCleanup(RedisClusterClient raw, List<HostAndPort> masters) {
    this.raw = Objects.requireNonNull(raw, "raw");
    this.masters = List.copyOf(masters);
  }

  /**
   * The number of keys whose name starts {@code <namespace>:}, on all masters. For namespaces of letters, digits and
   * {@code -} only (Slotcache escapes nothing in them); with a manager at hand, {@link #keysMatching} its
   * {@code keyPattern()}.
   */
  long keysUnder(String namespace) {
    return keysMatching(namespace + ":*");
  }

  /** The number of keys matching a glob pattern, on all masters. */
  long keysMatching(String pattern) {
    long[] count = {0};
    forEachKey(pattern.getBytes(StandardCharsets.UTF_8), (node, key) -> count[0]++);
    return count[0];
  }

  /** The number of keys in the cluster (DBSIZE summed over the masters). */
  long keysInCluster() {
    long count = 0;
    for (HostAndPort master : masters) {
      try (Jedis node = connect(master)) {
        count += node.dbSize();
      }
    }
    return count;
  }

  /**
   * Destroys every cache recorded under {@code manager}'s namespace, then deletes whatever key is left under it;
   * returns how many keys were there before.
   *
   * @throws IllegalStateException when keys are still there afterwards (another client writing meanwhile)
   */
  long removeAll(CacheManager manager) {
    SlotcacheCacheManager slotcache = manager.unwrap(SlotcacheCacheManager.class);
    String namespace = slotcache.getNamespace();
    byte[] pattern = slotcache.keyPattern().getBytes(StandardCharsets.UTF_8);
    long found = keysMatching(slotcache.keyPattern());
    for (String cacheName : slotcache.getRecordedCacheNames()) {
      manager.destroyCache(cacheName);
    }
    Map<HostAndPort, List<byte[]>> leftovers = new LinkedHashMap<>();
    forEachKey(pattern, (master, key) -> leftovers.computeIfAbsent(master, m -> new ArrayList<>()).add(key));
    leftovers.forEach((master, keys) -> {
      try (Jedis node = connect(master)) {
        keys.forEach(node::del); // one by one: the keys of a namespace lie in many slots
      }
    });
    long left = keysMatching(slotcache.keyPattern());
    if (left != 0) {
      throw new IllegalStateException(left + " keys are still under namespace " + namespace
          + " after the clean-up: another client is writing there");
    }
    return found;
  }

  private interface KeyVisitor {
    void visit(HostAndPort master, byte[] key);
  }

  private void forEachKey(byte[] pattern, KeyVisitor visitor) {
    ScanParams params = new ScanParams().match(pattern).count(SCAN_COUNT);
    for (HostAndPort master : masters) {
      try (Jedis node = connect(master)) {
        Consumer<ScanResult<byte[]>> visit = page -> page.getResult().forEach(key -> visitor.visit(master, key));
        ScanResult<byte[]> page = node.scan(ScanParams.SCAN_POINTER_START_BINARY, params);
        visit.accept(page);
        while (!page.isCompleteIteration()) {
          page = node.scan(page.getCursorAsBytes(), params);
          visit.accept(page);
        }
      }
    }
  }

  private static Jedis connect(HostAndPort master) {
    return new Jedis(master, DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build());
  }
}
