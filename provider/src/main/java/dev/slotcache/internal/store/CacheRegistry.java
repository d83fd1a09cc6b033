package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;

/**
 * The caches of one namespace, recorded in the cluster so that every JVM opens a cache with the same layout:
 * one hash {@code <namespace>:caches}, field = cache name, value = an opaque descriptor. (It cannot collide
 * with entries, whose keys always continue {@code <namespace>:{}.) Thread-safe.
 */
public final class CacheRegistry {

  private final RedisCluster cluster;
  private final byte[] key;

  public CacheRegistry(RedisCluster cluster, String namespace) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.key = (SegmentedKeyLayout.escape(namespace, false) + ":caches").getBytes(StandardCharsets.UTF_8);
  }

  /** Records {@code descriptor} unless the cache is recorded already; returns the existing one, or null. */
  public byte[] register(String cacheName, byte[] descriptor) {
    byte[] field = field(cacheName);
    return call(cacheName, "createCache", client -> {
      client.hsetnx(key, SENTINEL, SENTINEL_VALUE);
      long added = client.hsetnx(key, field, descriptor);
      return added == 1 ? null : client.hget(key, field);
    });
  }

  /**
   * Whether the registry is still there. Its sentinel field is written with the first cache and never removed
   * (destroying the last cache leaves it), so only a loss of the whole hash makes this false.
   */
  public boolean intact() {
    return call("(registry)", "check the cache registry", client -> client.hexists(key, SENTINEL));
  }

  /** Records the given caches where they are not recorded, with the sentinel; returns how many were added. */
  public int restore(java.util.Map<String, byte[]> descriptors) {
    return call("(registry)", "restore the cache registry", client -> {
      client.hsetnx(key, SENTINEL, SENTINEL_VALUE);
      int added = 0;
      for (java.util.Map.Entry<String, byte[]> entry : descriptors.entrySet()) {
        added += (int) client.hsetnx(key, field(entry.getKey()), entry.getValue());
      }
      return added;
    });
  }

  /** A field no cache can be confused with in practice (cache names with a NUL are not a thing). */
  private static final byte[] SENTINEL = "\0registry".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SENTINEL_VALUE = "1".getBytes(StandardCharsets.UTF_8);

  /** The recorded descriptor of a cache, or null. */
  public byte[] lookup(String cacheName) {
    return call(cacheName, "getCache", client -> client.hget(key, field(cacheName)));
  }

  /** Forgets a cache. */
  public void unregister(String cacheName) {
    call(cacheName, "destroyCache", client -> client.hdel(key, field(cacheName)));
  }

  /** Every cache recorded in the namespace, by any JVM. */
  public java.util.List<String> names() {
    return call("(registry)", "list the recorded caches", client -> {
      java.util.List<String> names = new java.util.ArrayList<>();
      for (byte[] field : client.hkeys(key)) {
        if (!java.util.Arrays.equals(field, SENTINEL)) {
          names.add(new String(field, StandardCharsets.UTF_8));
        }
      }
      java.util.Collections.sort(names);
      return names;
    });
  }

  private static byte[] field(String cacheName) {
    byte[] field = cacheName.getBytes(StandardCharsets.UTF_8);
    if (java.util.Arrays.equals(field, SENTINEL)) {
      throw new IllegalArgumentException("the cache name \\0registry is reserved");
    }
    return field;
  }

  private <T> T call(String cacheName, String operation, Function<UnifiedJedis, T> work) {
    UnifiedJedis client = cluster.connected(cacheName, operation).client;
    return RedisCalls.call(() -> work.apply(client), e -> new StoreException("cache '" + cacheName + "': " + operation
        + " failed on " + cluster.endpoint().describe() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e));
  }
}
