package dev.slotcache.internal.store;

import java.util.Objects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The optimistic transaction on one key behind {@link CacheStore#watch}: {@code UNWATCH}, {@code WATCH} and
 * {@code GET} in one round trip on a connection to the key's master, kept by the handle until it is closed;
 * {@code MULTI}, the write and {@code EXEC} in a second. One attempt: a moved slot or a dropped connection renews
 * the slot map and fails transiently, and the caller (the retrying store, invoke's loop) tries again.
 * Thread-safe; each handle is confined to one thread.
 */
final class KeyWatch {

  private static final byte[][] NO_ARGS = new byte[0][];

  private final RedisCluster cluster;
  private final String cacheName;

  KeyWatch(RedisCluster cluster, String cacheName) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
  }

  CacheStore.Watched watch(byte[] redisKey) {
    int slot = JedisClusterCRC16.getSlot(redisKey);
    RedisCluster.Connected connected = cluster.connected(cacheName, "invoke");
    Connection[] held = new Connection[1];
    try {
      byte[] value = RedisCalls.call(() -> {
        held[0] = connected.provider.getConnectionFromSlot(slot);
        Pipeline pipeline = new Pipeline(held[0]);
        // A handle closed without committing leaves its WATCH on the pooled connection: clear it first.
        pipeline.sendCommand(Protocol.Command.UNWATCH, NO_ARGS);
        Response<Object> watched = pipeline.sendCommand(Protocol.Command.WATCH, redisKey);
        Response<byte[]> read = pipeline.get(redisKey);
        pipeline.sync();
        watched.get();
        return read.get();
      }, e -> {
        if (e instanceof JedisRedirectionException || e instanceof JedisConnectionException) {
          RedisCalls.renewQuietly(connected.provider);
        }
        return RedisCalls.failure(cacheName, "invoke", cluster.ownerOf(slot), e);
      });
      CacheStore.Watched handle = new WatchedKey(held[0], redisKey, value);
      held[0] = null;
      return handle;
    } finally {
      RedisCalls.release(held[0]);
    }
  }

  private final class WatchedKey implements CacheStore.Watched {
    private final Connection connection;
    private final byte[] redisKey;
    private final byte[] value;

    WatchedKey(Connection connection, byte[] redisKey, byte[] value) {
      this.connection = connection;
      this.redisKey = redisKey;
      this.value = value;
    }

    @Override
    public byte[] value() {
      return value;
    }

    @Override
    public boolean commit(byte[] record, long ttl) {
      if (record != null && ttl == Ttl.EXPIRE_NOW) {
        if (value == null) {
          return true; // created and expired at once: nothing to store
        }
        record = null;
      }
      byte[] written = record;
      Response<?>[] queued = new Response<?>[1];
      Response<Object> exec = RedisCalls.call(() -> {
        Pipeline pipeline = new Pipeline(connection);
        pipeline.sendCommand(Protocol.Command.MULTI, NO_ARGS);
        if (written == null) {
          queued[0] = pipeline.del(redisKey);
        } else {
          queued[0] = pipeline.set(redisKey, written, SegmentStore.setTtl(SetParams.setParams(), ttl));
        }
        Response<Object> reply = pipeline.sendCommand(Protocol.Command.EXEC, NO_ARGS);
        pipeline.sync();
        return reply;
      }, this::failure);
      return RedisCalls.call(() -> exec.get() != null,
          abort -> failure(RedisCalls.reasonOfAbort(queued[0], abort)));
    }

    private StoreException failure(JedisException e) {
      return RedisCalls.failure(cacheName, "invoke", connection.getHostAndPort().toString(), e);
    }

    @Override
    public void close() {
      RedisCalls.release(connection);
    }
  }
}
