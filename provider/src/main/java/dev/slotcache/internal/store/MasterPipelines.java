package dev.slotcache.internal.store;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * One pipeline per master for one batch, all driven from the calling thread: commands are written to every
 * master's connection, then {@link #sync()} flushes every connection before it reads any reply, so the masters work
 * at the same time without a thread hand-off (which costs more than the round trip on a small machine).
 *
 * <p>Commands go straight to the pooled {@link Connection} and replies come back as Redis sent them (RESP2: bulk
 * strings and status replies as {@code byte[]}, integers as {@code Long}, arrays as {@code List}): no Jedis
 * {@code Pipeline}, {@code Response} or builder per command, which is a third of a batch's client CPU.
 *
 * <p>Masters are numbered in the order they are first named ({@link #master}). A master whose connection, write or
 * read fails is recorded ({@link #failures()}) and left out from then on; the others go on. {@link #close()} returns
 * the connections; one with replies still unread is discarded, never returned to the pool. Confined to one thread.
 */
final class MasterPipelines implements AutoCloseable {

  /** Sends commands to one master; each returns its reply's number there. */
  final class Commands {
    private final int master;
    private final Connection connection;
    private int sent;

    private Commands(int master, Connection connection) {
      this.master = master;
      this.connection = connection;
    }

    int send(ProtocolCommand command, byte[]... arguments) {
      connection.sendCommand(command, arguments);
      return sent++;
    }

    int send(CommandArguments arguments) {
      connection.sendCommand(arguments);
      return sent++;
    }

    /** The number the next command's reply will have. */
    int next() {
      return sent;
    }

    int master() {
      return master;
    }
  }

  private final ClusterConnectionProvider provider;
  private HostAndPort[] masters = new HostAndPort[4];
  private Commands[] commands = new Commands[4];
  private List<?>[] replies = new List<?>[4];
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
      commands = Arrays.copyOf(commands, count * 2);
      replies = Arrays.copyOf(replies, count * 2);
      failures = Arrays.copyOf(failures, count * 2);
    }
    masters[count] = node;
    return count++;
  }

  int count() {
    return count;
  }

  /**
   * Sends commands to master {@code m}, borrowing its connection on first use. A Jedis failure (no connection, a
   * write to a broken one) fails that master. False when it has failed.
   */
  boolean queue(int m, Consumer<Commands> work) {
    if (failures[m] != null) {
      return false;
    }
    if (commands[m] == null) {
      HostAndPort node = masters[m];
      RedisCalls.Result<Connection> borrowed = RedisCalls.attempt(() -> provider.getConnection(node));
      if (borrowed.failed()) {
        failures[m] = borrowed.failure();
        return false;
      }
      commands[m] = new Commands(m, borrowed.value());
    }
    Commands to = commands[m];
    JedisException failed = RedisCalls.failureOf(() -> work.accept(to));
    if (failed != null) {
      fail(m, failed);
      return false;
    }
    return true;
  }

  /** {@link #queue(int, Consumer)} on {@code node}. */
  boolean queue(HostAndPort node, Consumer<Commands> work) {
    return queue(master(node), work);
  }

  /** Flushes every master's commands, then reads every master's replies. */
  void sync() {
    for (int m = 0; m < count; m++) {
      if (commands[m] != null && failures[m] == null) {
        Connection connection = commands[m].connection;
        // getMany(0) flushes the connection's buffer and reads nothing.
        JedisException failed = RedisCalls.failureOf(() -> connection.getMany(0));
        if (failed != null) {
          fail(m, failed);
        }
      }
    }
    for (int m = 0; m < count; m++) {
      Commands sent = commands[m];
      if (sent != null && failures[m] == null && sent.sent > 0) {
        RedisCalls.Result<List<Object>> read = RedisCalls.attempt(() -> sent.connection.getMany(sent.sent));
        if (read.failed()) {
          fail(m, read.failure());
        } else {
          replies[m] = read.value();
          sent.sent = 0;
        }
      }
    }
  }

  /** Reply {@code n} of master {@code m} after {@link #sync()}; an error reply is thrown as Jedis made it. */
  Object reply(int m, int n) {
    Object reply = replies[m].get(n);
    if (reply instanceof JedisDataException error) {
      throw error;
    }
    return reply;
  }

  /** Leaves master {@code m} out from now on: its connection is discarded, as replies may be pending on it. */
  void fail(int m, JedisException cause) {
    if (failures[m] == null) {
      failures[m] = cause;
    }
    if (commands[m] != null) {
      commands[m].connection.setBroken();
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
      if (commands[m] != null) {
        if (commands[m].sent > 0) {
          commands[m].connection.setBroken(); // unread replies would reach the connection's next user
        }
        RedisCalls.release(commands[m].connection);
      }
    }
  }
}
