package dev.slotcache.internal.store;

import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * One pipeline per master for one batch, all driven from the calling thread: commands are queued on every
 * master's pipeline, then {@link #sync()} flushes every connection before it reads any reply, so the masters work
 * at the same time without a thread hand-off (which costs more than the round trip on a small machine).
 *
 * <p>A master whose connection, write or read fails is {@linkplain #failures() recorded} and left out from then on;
 * the others go on. {@link #close()} returns the connections; one with replies still unread is discarded, never
 * returned to the pool. Confined to one thread.
 */
final class MasterPipelines implements AutoCloseable {

  private final ClusterConnectionProvider provider;
  private final Map<HostAndPort, Pipeline> pipelines = new LinkedHashMap<>(8);
  private final Map<HostAndPort, Connection> connections = new LinkedHashMap<>(8);
  private final Map<HostAndPort, JedisException> failures = new LinkedHashMap<>(4);

  MasterPipelines(ClusterConnectionProvider provider) {
    this.provider = provider;
  }

  /** The pipeline to {@code master}, on a connection from its pool; null when that master has failed. */
  Pipeline on(HostAndPort master) {
    Pipeline pipeline = pipelines.get(master);
    if (pipeline != null || failures.containsKey(master)) {
      return pipeline;
    }
    RedisCalls.Result<Connection> borrowed = RedisCalls.attempt(() -> provider.getConnection(master));
    if (borrowed.failed()) {
      failures.put(master, borrowed.failure());
      return null;
    }
    connections.put(master, borrowed.value());
    pipeline = new Pipeline(borrowed.value());
    pipelines.put(master, pipeline);
    return pipeline;
  }

  /**
   * Queues commands on {@code master}'s pipeline. A Jedis failure while queuing (a write to a broken connection)
   * fails that master; false when it has failed.
   */
  boolean queue(HostAndPort master, java.util.function.Consumer<Pipeline> commands) {
    Pipeline pipeline = on(master);
    if (pipeline == null) {
      return false;
    }
    JedisException failed = RedisCalls.failureOf(() -> commands.accept(pipeline));
    if (failed != null) {
      fail(master, failed);
      return false;
    }
    return true;
  }

  /** Flushes every master's commands, then reads every master's replies (the {@code Response}s are then set). */
  void sync() {
    for (Map.Entry<HostAndPort, Connection> entry : connections.entrySet()) {
      if (!failures.containsKey(entry.getKey())) {
        // getMany(0) flushes the connection's buffer and reads nothing.
        JedisException failed = RedisCalls.failureOf(() -> entry.getValue().getMany(0));
        if (failed != null) {
          fail(entry.getKey(), failed);
        }
      }
    }
    for (Map.Entry<HostAndPort, Pipeline> entry : pipelines.entrySet()) {
      if (!failures.containsKey(entry.getKey())) {
        JedisException failed = RedisCalls.failureOf(entry.getValue()::sync);
        if (failed != null) {
          fail(entry.getKey(), failed);
        }
      }
    }
  }

  /** Leaves {@code master} out from now on: its connection is discarded, as replies may be pending on it. */
  void fail(HostAndPort master, JedisException cause) {
    failures.putIfAbsent(master, cause);
    Connection connection = connections.get(master);
    if (connection != null) {
      connection.setBroken();
    }
  }

  boolean failed(HostAndPort master) {
    return failures.containsKey(master);
  }

  /** The masters that failed, in the order they failed, with why. */
  Map<HostAndPort, JedisException> failures() {
    return failures;
  }

  @Override
  public void close() {
    for (Map.Entry<HostAndPort, Connection> entry : connections.entrySet()) {
      if (pipelines.get(entry.getKey()).hasPipelinedResponse()) {
        entry.getValue().setBroken(); // unread replies would reach the connection's next user
      }
      RedisCalls.release(entry.getValue());
    }
  }
}
