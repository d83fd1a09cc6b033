package dev.slotcache.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

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
      long added = client.hsetnx(key, field, descriptor);
      return added == 1 ? null : client.hget(key, field);
    });
  }

  /** The recorded descriptor of a cache, or null. */
  public byte[] lookup(String cacheName) {
    return call(cacheName, "getCache", client -> client.hget(key, field(cacheName)));
  }

  /** Forgets a cache. */
  public void unregister(String cacheName) {
    call(cacheName, "destroyCache", client -> client.hdel(key, field(cacheName)));
  }

  private static byte[] field(String cacheName) {
    return cacheName.getBytes(StandardCharsets.UTF_8);
  }

  private <T> T call(String cacheName, String operation, Function<UnifiedJedis, T> work) {
    UnifiedJedis client = cluster.connected(cacheName, operation).client;
    try {
      return work.apply(client);
    } catch (JedisException e) {
      throw new StoreException("cache '" + cacheName + "': " + operation + " failed on "
          + cluster.endpoint().describe() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
