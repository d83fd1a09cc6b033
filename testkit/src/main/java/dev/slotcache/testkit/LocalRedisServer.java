package dev.slotcache.testkit;

import java.time.Duration;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * One throwaway stand-alone {@code redis-server} on 127.0.0.1 with cluster mode off: for tests of what a client
 * does when pointed at a Redis that is not a cluster. It runs the same binary as {@link LocalRedisCluster}, on a
 * free port, with the same guarantees: {@link #close()} stops it and deletes its temp directory, a shutdown hook
 * closes it if the test does not, and its watchdog stops it even when the JVM is killed.
 *
 * <pre>{@code
 * try (LocalRedisServer server = LocalRedisServer.start()) {
 *   String uri = server.uri(); // redis://127.0.0.1:P
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class LocalRedisServer implements AutoCloseable {

  private final LocalRedisCluster server;
  private final LocalRedisCluster.Node node;

  private LocalRedisServer(LocalRedisCluster server) {
    this.server = server;
    this.node = server.nodes().get(0);
  }

  /**
   * Starts the server and returns once it answers.
   *
   * @throws IllegalStateException if no usable binary is found or the server does not answer within 30 s
   */
  public static LocalRedisServer start() {
    return new LocalRedisServer(LocalRedisCluster.startStandalone(Duration.ofSeconds(30)));
  }

  /** {@code redis://127.0.0.1:P}. */
  public String uri() {
    return "redis://" + node.host() + ":" + node.port();
  }

  public HostAndPort hostAndPort() {
    return node.hostAndPort();
  }

  /** A new connection to the server; the caller closes it. */
  public Jedis connect() {
    return node.connect();
  }

  /** The Redis version of the server, such as {@code 6.2.6}. */
  public String redisVersion() {
    return server.redisVersion();
  }

  /** Process id of the {@code redis-server}. */
  public long pid() {
    return server.pids().get(0);
  }

  /** Freezes the server (SIGSTOP): it accepts TCP connections but answers nothing until {@link #resume()}. */
  public void pause() {
    server.pause(node);
  }

  /** Lets a server frozen by {@link #pause()} run again (SIGCONT). */
  public void resume() {
    server.resume(node);
  }

  public boolean isClosed() {
    return server.isClosed();
  }

  /** Stops the server (a paused one too) and deletes its temp directory; idempotent. */
  @Override
  public void close() {
    server.close();
  }

  /** The temp directory, for tests of the cleanup. */
  java.nio.file.Path directory() {
    return server.directory();
  }

  @Override
  public String toString() {
    return "LocalRedisServer[" + uri() + ", Redis " + server.redisVersion() + "]";
  }
}
