package dev.slotcache.internal.store;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
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
 * <p>Masters are numbered in the order they are first named ({@link #master}). A master whose connection, write or
 * read fails is recorded ({@link #failures()}) and left out from then on; the others go on. {@link #close()} returns
 * the connections; one with replies still unread is discarded, never returned to the pool. Confined to one thread.
 */
final class MasterPipelines implements AutoCloseable {

  private final ClusterConnectionProvider provider;
  private HostAndPort[] masters = new HostAndPort[4];
  private Connection[] connections = new Connection[4];
  private Pipeline[] pipelines = new Pipeline[4];
  private JedisException[] failures = new JedisException[4];
  private int count;

  MasterPipelines(ClusterConnectionProvider provider) {
    this.provider = provider;
  }

  /** The number of {@code node} in this batch; a node not named before gets the next one. */
  int master(HostAndPort node) {
    for (int m = 0; m < count; m++) {
      if (masters[m].equals(node)) {
        return m;
      }
    }
    if (count == masters.length) {
      masters = Arrays.copyOf(masters, count * 2);
      connections = Arrays.copyOf(connections, count * 2);
      pipelines = Arrays.copyOf(pipelines, count * 2);
      failures = Arrays.copyOf(failures, count * 2);
    }
    masters[count] = node;
    return count++;
  }

  int count() {
    return count;
  }

  /**
   * Queues commands on master {@code m}'s pipeline, borrowing its connection on first use. A Jedis failure (no
   * connection, a write to a broken one) fails that master. False when it has failed.
   */
  boolean queue(int m, Consumer<Pipeline> commands) {
    if (failures[m] != null) {
      return false;
    }
    if (pipelines[m] == null) {
      HostAndPort node = masters[m];
      RedisCalls.Result<Connection> borrowed = RedisCalls.attempt(() -> provider.getConnection(node));
      if (borrowed.failed()) {
        failures[m] = borrowed.failure();
        return false;
      }
      connections[m] = borrowed.value();
      pipelines[m] = new Pipeline(connections[m]);
    }
    Pipeline pipeline = pipelines[m];
    JedisException failed = RedisCalls.failureOf(() -> commands.accept(pipeline));
    if (failed != null) {
      fail(m, failed);
      return false;
    }
    return true;
  }

  /** {@link #queue(int, Consumer)} on {@code node}. */
  boolean queue(HostAndPort node, Consumer<Pipeline> commands) {
    return queue(master(node), commands);
  }

  /** Flushes every master's commands, then reads every master's replies (their {@code Response}s are then set). */
  void sync() {
    for (int m = 0; m < count; m++) {
      Connection connection = connections[m];
      if (connection != null && failures[m] == null) {
        // getMany(0) flushes the connection's buffer and reads nothing.
        JedisException failed = RedisCalls.failureOf(() -> connection.getMany(0));
        if (failed != null) {
          fail(m, failed);
        }
      }
    }
    for (int m = 0; m < count; m++) {
      Pipeline pipeline = pipelines[m];
      if (pipeline != null && failures[m] == null) {
        JedisException failed = RedisCalls.failureOf(pipeline::sync);
        if (failed != null) {
          fail(m, failed);
        }
      }
    }
  }

  /** Leaves master {@code m} out from now on: its connection is discarded, as replies may be pending on it. */
  void fail(int m, JedisException cause) {
    if (failures[m] == null) {
      failures[m] = cause;
    }
    if (connections[m] != null) {
      connections[m].setBroken();
    }
  }

  void fail(HostAndPort node, JedisException cause) {
    fail(master(node), cause);
  }

  boolean failed(int m) {
    return failures[m] != null;
  }

  boolean failed(HostAndPort node) {
    return failed(master(node));
  }

  /** The masters that failed, with why. */
  Map<HostAndPort, JedisException> failures() {
    Map<HostAndPort, JedisException> failed = new LinkedHashMap<>();
    for (int m = 0; m < count; m++) {
      if (failures[m] != null) {
        failed.put(masters[m], failures[m]);
      }
    }
    return failed;
  }

  @Override
  public void close() {
    for (int m = 0; m < count; m++) {
      if (connections[m] != null) {
        if (pipelines[m].hasPipelinedResponse()) {
          connections[m].setBroken(); // unread replies would reach the connection's next user
        }
        RedisCalls.release(connections[m]);
      }
    }
  }
}
