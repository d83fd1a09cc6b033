package dev.slotcache.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A throwaway Redis Cluster on loopback: N masters (and optional replicas) on free ports, each
 * {@code redis-server} in a fresh temp directory, slots split evenly, ready ({@code cluster_state:ok} on
 * every node) when {@link Builder#start()} returns.
 *
 * <p>No process outlives its owner: {@link #close()} stops them; a JVM shutdown hook closes every cluster
 * still open; and each server runs under a small {@code sh} watchdog that reads a pipe from this JVM and
 * kills its server when the pipe closes — which the kernel does when the JVM dies, even by {@code kill -9}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class LocalRedisCluster implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final int SLOTS = 16384;
  private static final Set<LocalRedisCluster> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (LocalRedisCluster cluster : List.copyOf(OPEN)) {
        cluster.close();
      }
    }, "slotcache-testkit-shutdown"));
  }

  /** One server of the cluster. */
  public record Node(String host, int port, String nodeId, boolean master) {
    public HostAndPort hostAndPort() {
      return new HostAndPort(host, port);
    }
  }

  private final Path binary;
  private final String version;
  private final Path dir;
  private final List<Server> servers = new ArrayList<>();
  private volatile List<Node> nodes = List.of();
  private volatile boolean closed;

  private LocalRedisCluster(Path binary, Path dir) {
    this.binary = binary;
    this.version = RedisServerBinary.version(binary);
    this.dir = dir;
  }

  /** A builder for a cluster other than the default 3 masters. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts {@code masters} masters without replicas. */
  public static LocalRedisCluster start(int masters) {
    return builder().masters(masters).start();
  }

  /** Options of a cluster to start. Not thread-safe. */
  public static final class Builder {
    private int masters = 3;
    private int replicasPerMaster;
    private Path redisServer;
    private final Map<String, String> config = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(30);

    private Builder() {
      config.put("cluster-node-timeout", "2000");
    }

    public Builder masters(int masters) {
      if (masters < 1) {
        throw new IllegalArgumentException("at least one master, was " + masters);
      }
      this.masters = masters;
      return this;
    }

    public Builder replicasPerMaster(int replicas) {
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative, was " + replicas);
      }
      this.replicasPerMaster = replicas;
      return this;
    }

    /** Uses this binary instead of resolving one ({@link RedisServerBinary}). */
    public Builder redisServer(Path binary) {
      this.redisServer = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /** An extra {@code redis.conf} line for every node, e.g. {@code config("notify-keyspace-events", "Ex")}. */
    public Builder config(String key, String value) {
      config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Starts the cluster and waits until it serves every slot; on failure stops what it started. */
    public LocalRedisCluster start() {
      Path binary = redisServer != null ? redisServer : RedisServerBinary.resolve();
      Path dir;
      try {
        dir = Files.createTempDirectory("slotcache-cluster-");
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a temp directory for the cluster", e);
      }
      LocalRedisCluster cluster = new LocalRedisCluster(binary, dir);
      OPEN.add(cluster);
      try {
        cluster.boot(masters, replicasPerMaster, config, System.nanoTime() + startTimeout.toNanos());
        return cluster;
      } catch (RuntimeException e) {
        String logs = cluster.logTails();
        cluster.close();
        throw new IllegalStateException("the local Redis Cluster did not start: " + e.getMessage() + logs, e);
      }
    }
  }

  /** {@code redis://127.0.0.1:P1,127.0.0.1:P2,...} with every master as a seed. */
  public String uri() {
    return "redis://" + masters().stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
  }

  /** Every node, masters first. */
  public List<Node> nodes() {
    return nodes;
  }

  public List<Node> masters() {
    return nodes.stream().filter(Node::master).toList();
  }

  public List<Node> replicas() {
    return nodes.stream().filter(n -> !n.master()).toList();
  }

  /** The version of the running servers, such as {@code 6.2.11}. */
  public String redisVersion() {
    return version;
  }

  public Path redisServerBinary() {
    return binary;
  }

  /** Process ids of the running servers (for tests that check nothing is left behind). */
  public List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    for (Server server : servers) {
      server.redisPid().ifPresent(pids::add);
    }
    return pids;
  }

  /** Deletes every key on every master. */
  public void flushAll() {
    for (Node master : masters()) {
      try (Jedis jedis = connect(master.port())) {
        jedis.flushAll();
      }
    }
  }

  private void boot(int masters, int replicasPerMaster, Map<String, String> config, long deadline) {
    int total = masters * (1 + replicasPerMaster);
    for (int i = 0; i < total; i++) {
      servers.add(startServer(config, deadline));
    }
    List<String> ids = new ArrayList<>();
    for (Server server : servers) {
      try (Jedis jedis = connect(server.port)) {
        ids.add(jedis.clusterMyId());
      }
    }
    for (int m = 0; m < masters; m++) {
      try (Jedis jedis = connect(servers.get(m).port)) {
        int from = (int) ((long) m * SLOTS / masters);
        int to = (int) ((long) (m + 1) * SLOTS / masters);
        for (int chunk = from; chunk < to; chunk += 1024) {
          int[] slots = new int[Math.min(1024, to - chunk)];
          for (int i = 0; i < slots.length; i++) {
            slots[i] = chunk + i;
          }
          jedis.clusterAddSlots(slots);
        }
        jedis.clusterSetConfigEpoch(m + 1);
      }
    }
    try (Jedis first = connect(servers.get(0).port)) {
      for (int i = 1; i < servers.size(); i++) {
        first.clusterMeet(HOST, servers.get(i).port);
      }
    }
    awaitEveryone(deadline, "all nodes to know each other", info -> info.contains("cluster_known_nodes:" + total));
    for (int r = masters; r < total; r++) {
      String masterId = ids.get((r - masters) % masters);
      try (Jedis replica = connect(servers.get(r).port)) {
        replica.clusterReplicate(masterId);
      }
    }
    awaitEveryone(deadline, "cluster_state:ok", info -> info.contains("cluster_state:ok"));
    for (int r = masters; r < total; r++) {
      int port = servers.get(r).port;
      await(deadline, "replica " + port + " to sync", () -> {
        try (Jedis replica = connect(port)) {
          return replica.info("replication").contains("master_link_status:up");
        }
      });
    }
    List<Node> all = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      all.add(new Node(HOST, servers.get(i).port, ids.get(i), i < masters));
    }
    nodes = Collections.unmodifiableList(all);
  }

  private void awaitEveryone(long deadline, String what, java.util.function.Predicate<String> condition) {
    for (Server server : servers) {
      await(deadline, what + " on " + server.port, () -> {
        try (Jedis jedis = connect(server.port)) {
          return condition.test(jedis.clusterInfo());
        }
      });
    }
  }

  private static void await(long deadline, String what, java.util.concurrent.Callable<Boolean> check) {
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.call()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
    throw new IllegalStateException("timed out waiting for " + what + (last == null ? "" : " (" + last + ")"));
  }

  private Server startServer(Map<String, String> config, long deadline) {
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      Server server = new Server(port);
      try {
        server.start(config);
        int started = port;
        await(Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(10)), "redis-server on port " + port,
            () -> {
              if (!server.isAlive()) {
                throw new IllegalStateException("redis-server on port " + started + " exited");
              }
              try (Jedis jedis = connect(started)) {
                return "PONG".equals(jedis.ping());
              }
            });
        return server;
      } catch (RuntimeException e) {
        server.stop();
        failure = new IllegalStateException(e.getMessage() + tail(dir.resolve(port + ".log")), e);
      }
    }
    throw failure;
  }

  /** A port whose cluster bus port (+10000) is free too. */
  private static int freePort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = 20000 + ThreadLocalRandom.current().nextInt(35000);
      if (isFree(port) && isFree(port + 10000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free pair of loopback ports (P and P+10000) found");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(HOST, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A plain connection to one node of this cluster, for tests that inspect or administer it. */
  public Jedis connect(Node node) {
    return connect(node.port());
  }

  private static Jedis connect(int port) {
    return new Jedis(new HostAndPort(HOST, port), DefaultJedisClientConfig.builder()
        .protocol(RedisProtocol.RESP2).autoNegotiateProtocol(false)
        .socketTimeoutMillis(5000).connectionTimeoutMillis(2000).build());
  }

  private String logTails() {
    StringBuilder out = new StringBuilder();
    for (Server server : servers) {
      out.append(tail(dir.resolve(server.port + ".log")));
    }
    return out.toString();
  }

  private static String tail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "\n--- " + log.getFileName() + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops every server, waits for the processes to end, deletes the temp directory. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Server server : servers) {
      server.stop();
    }
    OPEN.remove(this);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // The temp directory is only disk space; the processes are what matter.
    }
  }

  /** One redis-server under its watchdog shell. */
  private final class Server {
    final int port;
    private Process watchdog;

    Server(int port) {
      this.port = port;
    }

    void start(Map<String, String> config) {
      Path conf = dir.resolve(port + ".conf");
      StringBuilder lines = new StringBuilder()
          .append("port ").append(port).append('\n')
          .append("bind ").append(HOST).append('\n')
          .append("protected-mode no\n")
          .append("cluster-enabled yes\n")
          .append("cluster-config-file nodes-").append(port).append(".conf\n")
          .append("save \"\"\n")
          .append("appendonly no\n")
          .append("daemonize no\n")
          .append("dir ").append(dir).append('\n')
          .append("logfile ").append(dir.resolve(port + ".log")).append('\n');
      config.forEach((key, value) -> lines.append(key).append(' ').append(value).append('\n'));
      try {
        Files.writeString(conf, lines.toString());
        // The watchdog: starts the server, then blocks reading our pipe; EOF (we closed it, or died) ends it.
        String script = "\"$1\" \"$2\" </dev/null & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid";
        watchdog = new ProcessBuilder("sh", "-c", script, "slotcache-redis-watchdog", binary.toString(), conf.toString())
            .redirectOutput(dir.resolve(port + ".out").toFile())
            .redirectErrorStream(true)
            .start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
      }
    }

    boolean isAlive() {
      return watchdog != null && watchdog.isAlive() && redisPid().isPresent();
    }

    java.util.Optional<Long> redisPid() {
      if (watchdog == null) {
        return java.util.Optional.empty();
      }
      return watchdog.descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
          .filter(pid -> ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> !c.endsWith("/cat"))
              .orElse(true))
          .findFirst();
    }

    void stop() {
      if (watchdog == null) {
        return;
      }
      List<ProcessHandle> family = new ArrayList<>(watchdog.descendants().toList());
      family.add(watchdog.toHandle());
      try {
        OutputStream pipe = watchdog.getOutputStream();
        pipe.close();
      } catch (IOException e) {
        // Closing the pipe of a dead watchdog: nothing left to stop through it.
      }
      try {
        if (!watchdog.waitFor(5, TimeUnit.SECONDS)) {
          watchdog.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (ProcessHandle process : family) {
        if (process.isAlive()) {
          process.destroyForcibly();
        }
      }
      for (ProcessHandle process : family) {
        try {
          process.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          // Reported by the caller's own checks; nothing more can be done here.
        }
      }
    }
  }

  @Override
  public String toString() {
    return "LocalRedisCluster[" + uri() + ", Redis " + version + "]";
  }
}
