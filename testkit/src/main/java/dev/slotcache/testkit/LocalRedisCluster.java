package dev.slotcache.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A throwaway Redis Cluster on 127.0.0.1: N masters (and optional replicas), each a {@code redis-server} on a
 * free port with its config, log and cluster state in one fresh temp directory. The 16384 slots are split
 * evenly over the masters. When {@link Builder#start()} returns, every node reports {@code cluster_state:ok},
 * all nodes agree on who is master and replica, and every replica is in sync. Starting takes about two
 * seconds, most of it Redis's own delay before a freshly started master declares the cluster ok.
 *
 * <p><b>Cleanup.</b> {@link #close()} stops every process the cluster started and deletes its temp directory.
 * A JVM shutdown hook closes every cluster still open. And because each server runs under a small {@code sh}
 * watchdog that kills it once a pipe from this JVM closes, no server outlives the JVM even when it is killed
 * with SIGKILL; temp directories left behind that way are deleted by the next cluster started on the machine.
 *
 * <p><b>Threads.</b> Instances are thread-safe; {@link #close()} is idempotent and may race with the shutdown
 * hook. Clusters are independent, so several can run at once, in one JVM or many.
 *
 * <p>{@link #attach(String)} wraps an already-running cluster instead; closing such an instance stops nothing.
 *
 * <pre>{@code
 * try (LocalRedisCluster cluster = LocalRedisCluster.start(3)) {
 *   String uri = cluster.uri(); // redis://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3
 * }
 * }</pre>
 */
public final class LocalRedisCluster implements AutoCloseable {

  /** The only interface the servers listen on. */
  public static final String HOST = "127.0.0.1";
  /** Number of hash slots in a Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final int SLOTS_PER_COMMAND = 2048;
  // Ports P in [10100, 19999] put the cluster bus (P + 10000) in [20100, 29999]: both below the ephemeral
  // ranges of Linux (32768+) and macOS (49152+), so outgoing connections cannot grab them between our check
  // and the server's bind; and clear of 10000-10011, where the JCache TCK's own servers listen.
  private static final int LOWEST_PORT = 10100;
  private static final int PORT_CHOICES = 9900;
  private static final int BUS_PORT_OFFSET = 10000;
  private static final int LAUNCH_ATTEMPTS = 10;
  private static final String DIR_PREFIX = "slotcache-cluster-";
  private static final String OWNER_FILE = "owner";
  private static final Set<String> MANAGED_KEYS = Set.of("port", "bind", "daemonize", "cluster-enabled",
      "cluster-config-file", "cluster-port", "dir", "logfile", "include");
  private static final JedisClientConfig CLIENT_CONFIG = DefaultJedisClientConfig.builder()
      .connectionTimeoutMillis(2000)
      .socketTimeoutMillis(10_000)
      .autoNegotiateProtocol(false)
      .build();
  private static final Set<Integer> PORTS_IN_USE = ConcurrentHashMap.newKeySet();

  /**
   * One server of the cluster.
   *
   * @param host the address it listens on
   * @param port its client port (the cluster bus uses {@code port + 10000})
   * @param nodeId its 40-character cluster node id
   * @param master whether it is a master (else a replica)
   */
  public record Node(String host, int port, String nodeId, boolean master) {

    public HostAndPort hostAndPort() {
      return new HostAndPort(host, port);
    }

    /** A new plain (non-cluster) connection to this node; the caller closes it. */
    public Jedis connect() {
      return LocalRedisCluster.connect(host, port);
    }
  }

  private final Path binary;
  private final String version;
  private final Path dir;
  private final List<RedisProcess> launched = new CopyOnWriteArrayList<>();
  private volatile List<RedisProcess> servers = List.of();
  private volatile List<Node> nodes = List.of();
  private volatile Map<String, Integer> replicaCounts = Map.of();
  private boolean closed;
  /** One server with cluster mode off (see {@link LocalRedisServer}) instead of a cluster. */
  private final boolean standalone;
  /** Ports of servers frozen by {@link #pause(Node)}: a stopped process ignores SIGTERM until it runs again. */
  private final Set<Integer> paused = ConcurrentHashMap.newKeySet();

  private LocalRedisCluster(Path binary, String version, Path dir, boolean standalone) {
    this.binary = binary;
    this.version = version;
    this.dir = dir;
    this.standalone = standalone;
  }

  /**
   * One stand-alone server (cluster mode off) under the same watchdog, temp directory and cleanup as a cluster;
   * {@link #nodes()} holds just that server. For {@link LocalRedisServer}.
   */
  static LocalRedisCluster startStandalone(Duration startTimeout) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    Path binary = RedisServerBinary.resolve();
    LocalRedisCluster server =
        new LocalRedisCluster(binary, RedisServerBinary.version(binary), createClusterDir(), true);
    Live.OPEN.add(server);
    try {
      RedisProcess process = server.awaitServing(server.launch(Map.of()), Map.of(), deadline);
      server.servers = List.of(process);
      server.nodes = List.of(new Node(HOST, process.port, "", true));
      return server;
    } catch (RuntimeException e) {
      String logs = server.logTails();
      server.close();
      throw new IllegalStateException("a stand-alone redis-server (Redis " + server.version + ") did not start: "
          + e.getMessage() + logs, e);
    }
  }

  /** Options for a cluster; the defaults are 3 masters without replicas. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts {@code masters} masters without replicas; see {@link Builder#start()}. */
  public static LocalRedisCluster start(int masters) {
    return builder().masters(masters).start();
  }

  /**
   * Wraps a running cluster, such as one given to tests from outside, reading its topology from the first
   * seed that answers. {@link #close()} of the result stops nothing and {@link #redisServerBinary()} fails.
   *
   * @param uri {@code redis://host:port[,host:port...]}; anything after the seeds ({@code /path}, {@code ?query})
   *     is ignored, and authentication is not supported
   * @throws IllegalStateException if no seed answers {@code CLUSTER NODES}
   */
  public static LocalRedisCluster attach(String uri) {
    List<HostAndPort> seeds = parseSeeds(uri);
    List<String> errors = new ArrayList<>();
    for (HostAndPort seed : seeds) {
      try (Jedis jedis = connect(seed.getHost(), seed.getPort())) {
        List<ClusterNode> view = ClusterNode.parseAll(jedis.clusterNodes());
        String version = infoField(jedis.info("server"), "redis_version");
        LocalRedisCluster cluster = new LocalRedisCluster(null, version == null ? "unknown" : version, null, false);
        cluster.adopt(view, seed.getHost());
        return cluster;
      } catch (JedisException | IllegalArgumentException e) {
        errors.add(seed + ": " + e.getMessage());
      }
    }
    throw new IllegalStateException("cannot read the topology of the Redis Cluster at " + uri + " (" + errors + ")");
  }

  /** Options of a cluster to start. Not thread-safe; {@link #start()} may be called more than once. */
  public static final class Builder {
    private int masters = 3;
    private int replicasPerMaster;
    private Path redisServer;
    private Duration startTimeout = Duration.ofSeconds(30);
    private final Map<String, String> config = new LinkedHashMap<>();

    private Builder() {
      config.put("cluster-node-timeout", "2000");
    }

    /** Number of masters, at least 1; default 3. */
    public Builder masters(int masters) {
      if (masters < 1 || masters > 100) {
        throw new IllegalArgumentException("masters must be between 1 and 100, was " + masters);
      }
      this.masters = masters;
      return this;
    }

    /** Replicas for each master, default 0. */
    public Builder replicasPerMaster(int replicas) {
      if (replicas < 0 || replicas > 10) {
        throw new IllegalArgumentException("replicasPerMaster must be between 0 and 10, was " + replicas);
      }
      this.replicasPerMaster = replicas;
      return this;
    }

    /** Runs this binary (6.2 or newer) instead of the one {@link RedisServerBinary#resolve()} finds. */
    public Builder redisServer(Path binary) {
      this.redisServer = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /**
     * An extra {@code redis.conf} line for every node, such as {@code config("notify-keyspace-events", "Ex")};
     * a later call with the same key replaces the value. The value is written as given (quote it yourself if
     * it needs quotes), an empty value as {@code ""}. Keys the test kit manages (port, bind, dir, logfile,
     * cluster-enabled, cluster-config-file, cluster-port, daemonize, include) are rejected.
     */
    public Builder config(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      String normalized = key.strip().toLowerCase(Locale.ROOT);
      if (normalized.isEmpty() || normalized.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("not a redis.conf key: '" + key + "'");
      }
      if (MANAGED_KEYS.contains(normalized)) {
        throw new IllegalArgumentException("'" + normalized + "' is set by the test kit and cannot be configured");
      }
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("the value of '" + normalized + "' must be a single line");
      }
      config.put(normalized, value.isEmpty() ? "\"\"" : value);
      return this;
    }

    /** {@code cluster-node-timeout}, default 2 s: how soon an unreachable node counts as failed. */
    public Builder clusterNodeTimeout(Duration timeout) {
      long millis = Objects.requireNonNull(timeout, "timeout").toMillis();
      if (millis < 100) {
        throw new IllegalArgumentException("cluster node timeout must be at least 100 ms, was " + timeout);
      }
      config.put("cluster-node-timeout", Long.toString(millis));
      return this;
    }

    /** How long {@link #start()} may take in all, default 30 s. */
    public Builder startTimeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("start timeout must be positive, was " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Starts the servers and forms the cluster; blocks until it is ready (see the class description).
     *
     * @throws IllegalStateException if no usable binary is found, or the cluster is not ready within the start
     *     timeout; the message carries the end of each node's log, and every process started is stopped
     */
    public LocalRedisCluster start() {
      long deadline = System.nanoTime() + startTimeout.toNanos();
      Path binary = redisServer != null ? RedisServerBinary.requireSupported(redisServer) : RedisServerBinary.resolve();
      LocalRedisCluster cluster =
          new LocalRedisCluster(binary, RedisServerBinary.version(binary), createClusterDir(), false);
      Live.OPEN.add(cluster);
      try {
        cluster.boot(masters, replicasPerMaster, Map.copyOf(config), deadline);
        return cluster;
      } catch (RuntimeException e) {
        String logs = cluster.logTails();
        cluster.close();
        throw new IllegalStateException("the local Redis Cluster (" + masters + " masters, " + replicasPerMaster
            + " replicas each, Redis " + cluster.version + ") did not start: " + e.getMessage() + logs, e);
      }
    }
  }

  /** {@code redis://127.0.0.1:P1,127.0.0.1:P2,...}, every master a seed. */
  public String uri() {
    return "redis://" + masters().stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
  }

  /** Every node, masters first (in slot order), then the replicas. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The masters, in slot order: the first serves slot 0. */
  public List<Node> masters() {
    return nodes.stream().filter(Node::master).toList();
  }

  /** The replicas, grouped by master in {@link #masters()} order; empty without replicas. */
  public List<Node> replicas() {
    return nodes.stream().filter(n -> !n.master()).toList();
  }

  /** The Redis version of the servers, such as {@code 6.2.11}. */
  public String redisVersion() {
    return version;
  }

  /**
   * The {@code redis-server} the nodes run.
   *
   * @throws IllegalStateException for a cluster from {@link #attach(String)}
   */
  public Path redisServerBinary() {
    if (binary == null) {
      throw new IllegalStateException("an attached cluster has no local redis-server binary");
    }
    return binary;
  }

  /** Process ids of the {@code redis-server} processes, in {@link #nodes()} order; empty when attached. */
  public List<Long> pids() {
    return servers.stream().map(RedisProcess::pid).toList();
  }

  /**
   * Kills the server of {@code node} with SIGKILL, as a crash would; its replica (if any) takes over after the
   * cluster node timeout. The node stays down; {@link #close()} still cleans up.
   *
   * @throws IllegalStateException for an attached cluster or a node this cluster did not start
   */
  public void kill(Node node) {
    ProcessHandle.of(processOf(node).pid()).ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * Freezes the server of {@code node} (SIGSTOP): it holds its connections but answers nothing until resumed.
   * {@link #close()} resumes it before stopping it.
   */
  public void pause(Node node) {
    signal(node, "STOP");
    paused.add(node.port());
  }

  /** Lets a server frozen by {@link #pause(Node)} run again (SIGCONT). */
  public void resume(Node node) {
    signal(node, "CONT");
    paused.remove(node.port());
  }

  private void signal(Node node, String signal) {
    long pid = processOf(node).pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + signal + " " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pid, e);
    }
  }

  private RedisProcess processOf(Node node) {
    for (RedisProcess process : servers) {
      if (process.port == node.port()) {
        return process;
      }
    }
    throw new IllegalStateException("node " + node.hostAndPort() + " was not started by this cluster");
  }

  /**
   * Waits until some node reports {@code cluster_state:ok} again and every slot has a reachable master, as after
   * a failover; returns the masters then (ports may differ from {@link #masters()}, which is the start topology).
   */
  public List<HostAndPort> awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no node answered";
    while (System.nanoTime() < deadline) {
      for (Node candidate : nodes) {
        try (Jedis jedis = candidate.connect()) {
          if (!jedis.clusterInfo().contains("cluster_state:ok")) {
            last = candidate.hostAndPort() + " reports the cluster not ok";
            continue;
          }
          List<HostAndPort> masters = new ArrayList<>();
          int covered = 0;
          for (ClusterNode view : ClusterNode.parseAll(jedis.clusterNodes())) {
            if (view.isMaster() && !view.isUnhealthy() && view.slots() > 0) {
              try (Jedis master = connect(HOST, view.port())) {
                master.ping();
                masters.add(new HostAndPort(HOST, view.port()));
                covered += view.slots();
              }
            }
          }
          if (covered == SLOTS) {
            return masters;
          }
          last = "masters that answer cover " + covered + " of " + SLOTS + " slots";
        } catch (JedisException e) {
          last = candidate.hostAndPort() + ": " + e.getMessage();
        }
      }
      pause(50, "the cluster to heal");
    }
    throw new IllegalStateException("the cluster did not heal within " + timeout + ": " + last);
  }

  /**
   * Moves hash slot {@code slot}, with its keys, to master {@code to} as a resharding does: the target imports, the
   * owner migrates, keys move with {@code MIGRATE}, then every master is told the new owner. Returns how many keys
   * moved.
   *
   * @throws IllegalStateException when {@code to} is not a master or a step fails
   */
  public int moveSlot(int slot, HostAndPort to) {
    try (Jedis any = connect(to.getHost(), to.getPort())) {
      List<ClusterNode> view = ClusterNode.parseAll(any.clusterNodes());
      ClusterNode target = null;
      ClusterNode source = null;
      for (ClusterNode node : view) {
        if (node.port() == to.getPort() && node.isMaster()) {
          target = node;
        }
      }
      if (target == null) {
        throw new IllegalStateException(to + " is not a master");
      }
      int owner = ownerPort(any, slot);
      for (ClusterNode node : view) {
        if (node.isMaster() && !node.isUnhealthy() && node.port() == owner) {
          source = node;
        }
      }
      if (source == null) {
        throw new IllegalStateException("no master owns slot " + slot);
      }
      if (source.id().equals(target.id())) {
        return 0;
      }
      int moved = 0;
      try (Jedis from = connect(HOST, source.port()); Jedis into = connect(HOST, target.port())) {
        into.clusterSetSlotImporting(slot, source.id());
        from.clusterSetSlotMigrating(slot, target.id());
        while (true) {
          List<String> keys = from.clusterGetKeysInSlot(slot, 100);
          if (keys.isEmpty()) {
            break;
          }
          from.migrate(HOST, target.port(), 0, 5_000, new redis.clients.jedis.params.MigrateParams(),
              keys.toArray(String[]::new));
          moved += keys.size();
        }
        into.clusterSetSlotNode(slot, target.id());
        from.clusterSetSlotNode(slot, target.id());
      }
      for (ClusterNode node : view) {
        if (node.isMaster() && !node.isUnhealthy() && node.port() != source.port() && node.port() != target.port()) {
          try (Jedis other = connect(HOST, node.port())) {
            other.clusterSetSlotNode(slot, target.id());
          }
        }
      }
      return moved;
    } catch (JedisException e) {
      throw new IllegalStateException("moving slot " + slot + " to " + to + " failed: " + e.getMessage(), e);
    }
  }

  /** The port of the master that owns {@code slot}, as {@code CLUSTER SLOTS} on {@code node} says; -1 for none. */
  private static int ownerPort(Jedis node, int slot) {
    for (Object range : (List<?>) node.sendCommand(redis.clients.jedis.Protocol.Command.CLUSTER, "SLOTS")) {
      List<?> r = (List<?>) range;
      if (slot >= (Long) r.get(0) && slot <= (Long) r.get(1)) {
        return ((Long) ((List<?>) r.get(2)).get(1)).intValue();
      }
    }
    return -1;
  }

  /** Whether {@link #close()} was called (or the shutdown hook ran). */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Deletes every key: {@code FLUSHALL} on each master, then waits (up to 5 s) for its replicas to follow. */
  public void flushAll() {
    for (Node master : masters()) {
      try (Jedis jedis = master.connect()) {
        jedis.flushAll();
        int replicas = replicaCounts.getOrDefault(master.nodeId(), 0);
        if (replicas > 0) {
          jedis.waitReplicas(replicas, 5000);
        }
      }
    }
  }

  /** Creates (or changes) ACL user {@code name} with {@code rules} on every node: each node keeps its own ACLs. */
  public void setAclUser(String name, String... rules) {
    for (Node node : nodes()) {
      try (Jedis jedis = node.connect()) {
        jedis.aclSetUser(name, rules);
      }
    }
  }

  /** Deletes ACL user {@code name} on every node. */
  public void deleteAclUser(String name) {
    for (Node node : nodes()) {
      try (Jedis jedis = node.connect()) {
        jedis.aclDelUser(name);
      }
    }
  }

  /**
   * Stops every process this cluster started (SIGTERM through the watchdog, SIGKILL for whatever is left after
   * 10 s), waits for them to end, and deletes the temp directory. Idempotent; does nothing else for an
   * attached cluster.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Live.OPEN.remove(this);
    for (Node node : nodes) {
      if (paused.contains(node.port())) {
        try {
          resume(node);
        } catch (IllegalStateException e) {
          // SIGKILL after the grace period below still ends it.
        }
      }
    }
    for (RedisProcess process : launched) {
      process.requestStop();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (RedisProcess process : launched) {
      process.awaitStop(deadline);
      PORTS_IN_USE.remove(process.port);
    }
    if (dir != null) {
      deleteRecursively(dir);
    }
  }

  @Override
  public String toString() {
    return "LocalRedisCluster[" + uri() + ", Redis " + version + (binary == null ? ", attached" : "") + "]";
  }

  /** The watchdog shells' pids, for tests that check nothing is left behind. */
  List<Long> watchdogPids() {
    return servers.stream().map(RedisProcess::watchdogPid).toList();
  }

  /** The temp directory of a started cluster (null when attached), for tests of the cleanup. */
  Path directory() {
    return dir;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Start-up

  private void boot(int masterCount, int replicasPerMaster, Map<String, String> config, long deadline) {
    int total = masterCount * (1 + replicasPerMaster);
    List<RedisProcess> started = new ArrayList<>();
    // Launch all first, then wait: the servers boot in parallel.
    for (int i = 0; i < total; i++) {
      started.add(launch(config));
    }
    for (int i = 0; i < total; i++) {
      started.set(i, awaitServing(started.get(i), config, deadline));
    }
    servers = List.copyOf(started);

    List<Jedis> admin = new ArrayList<>();
    try {
      for (RedisProcess server : started) {
        admin.add(connect(HOST, server.port));
      }
      List<String> ids = new ArrayList<>();
      for (Jedis jedis : admin) {
        ids.add(jedis.clusterMyId());
      }
      for (int m = 0; m < masterCount; m++) {
        // Distinct epochs up front spare the cluster its epoch-collision dance after MEET.
        admin.get(m).clusterSetConfigEpoch(m + 1);
        addSlots(admin.get(m), (int) ((long) m * SLOTS / masterCount), (int) ((long) (m + 1) * SLOTS / masterCount));
      }
      // Every pair meets directly instead of waiting for gossip to spread the news (about a second).
      for (int i = 0; i < total; i++) {
        for (int j = i + 1; j < total; j++) {
          admin.get(i).clusterMeet(HOST, started.get(j).port);
        }
      }
      // A node in handshake shows a temporary id, so REPLICATE must wait until every node knows the real ids.
      awaitEveryNode(admin, deadline, "every node to know all " + total + " node ids", jedis -> {
        List<ClusterNode> view = ClusterNode.parseAll(jedis.clusterNodes());
        Set<String> known = view.stream().filter(n -> !n.isUnhealthy()).map(ClusterNode::id).collect(Collectors.toSet());
        return known.containsAll(ids) ? null : "knows " + known.size() + " of " + total;
      });

      Map<String, String> masterOfReplica = new HashMap<>();
      Map<String, Integer> counts = new HashMap<>();
      List<Node> all = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        all.add(new Node(HOST, started.get(i).port, ids.get(i), i < masterCount));
      }
      for (int r = masterCount; r < total; r++) {
        String masterId = ids.get((r - masterCount) % masterCount);
        admin.get(r).clusterReplicate(masterId);
        masterOfReplica.put(ids.get(r), masterId);
        counts.merge(masterId, 1, Integer::sum);
      }
      awaitEveryNode(admin, deadline, "cluster_state:ok and an agreed topology on every node",
          jedis -> topologyProblem(jedis, masterCount, total, masterOfReplica));
      replicaCounts = Map.copyOf(counts);
      nodes = List.copyOf(all);
    } finally {
      admin.forEach(Jedis::close);
    }
  }

  private static void addSlots(Jedis jedis, int from, int to) {
    // Redis 6.2 has no ADDSLOTSRANGE; one ADDSLOTS per chunk keeps each command small.
    for (int chunk = from; chunk < to; chunk += SLOTS_PER_COMMAND) {
      int first = chunk;
      int[] slots = new int[Math.min(SLOTS_PER_COMMAND, to - chunk)];
      Arrays.setAll(slots, i -> first + i);
      jedis.clusterAddSlots(slots);
    }
  }

  /** Null when this node sees the cluster complete and healthy, else what is still missing. */
  private static String topologyProblem(Jedis jedis, int masterCount, int total, Map<String, String> masterOfReplica) {
    String info = jedis.clusterInfo();
    String state = infoField(info, "cluster_state");
    if (!"ok".equals(state)) {
      return "cluster_state:" + state;
    }
    if (!String.valueOf(SLOTS).equals(infoField(info, "cluster_slots_ok"))) {
      return "cluster_slots_ok:" + infoField(info, "cluster_slots_ok");
    }
    if (!String.valueOf(total).equals(infoField(info, "cluster_known_nodes"))) {
      return "cluster_known_nodes:" + infoField(info, "cluster_known_nodes");
    }
    List<ClusterNode> view = ClusterNode.parseAll(jedis.clusterNodes());
    ClusterNode myself = null;
    int mastersWithSlots = 0;
    for (ClusterNode node : view) {
      if (node.isUnhealthy()) {
        return "sees " + node.port() + " as " + node.flags();
      }
      if (node.isMyself()) {
        myself = node;
      } else if (!node.connected()) {
        return "has no link to " + node.port() + " yet";
      }
      String expectedMaster = masterOfReplica.get(node.id());
      if (expectedMaster != null && (node.isMaster() || !expectedMaster.equals(node.masterId()))) {
        return "does not yet see " + node.port() + " as a replica of " + expectedMaster;
      }
      if (node.isMaster() && node.slots() > 0) {
        mastersWithSlots++;
      }
    }
    if (mastersWithSlots != masterCount) {
      return "sees " + mastersWithSlots + " masters serving slots, not " + masterCount;
    }
    if (myself != null && masterOfReplica.containsKey(myself.id())) {
      String link = infoField(jedis.info("replication"), "master_link_status");
      if (!"up".equals(link)) {
        return "replica link to its master is " + link;
      }
    }
    return null;
  }

  private interface Check {
    /** Null when satisfied, else a short description of what is missing. */
    String problem(Jedis jedis);
  }

  private void awaitEveryNode(List<Jedis> admin, long deadline, String what, Check check) {
    String[] problems = new String[admin.size()];
    while (true) {
      boolean done = true;
      for (int i = 0; i < admin.size(); i++) {
        try {
          problems[i] = check.problem(admin.get(i));
        } catch (JedisException e) {
          problems[i] = e.toString();
        }
        done &= problems[i] == null;
      }
      if (done) {
        return;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder message = new StringBuilder("timed out waiting for ").append(what).append(':');
        for (int i = 0; i < admin.size(); i++) {
          if (problems[i] != null) {
            message.append(" [node ").append(servers.get(i).port).append(": ").append(problems[i]).append(']');
          }
        }
        throw new IllegalStateException(message.toString());
      }
      pause(20, what);
    }
  }

  /** Starts one server on a newly reserved port; does not wait for it. */
  private RedisProcess launch(Map<String, String> config) {
    int port = reservePort();
    RedisProcess process;
    try {
      Path conf = dir.resolve(port + ".conf");
      Files.writeString(conf, configFile(port, config), StandardCharsets.UTF_8);
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("closed while starting");
        }
        process = RedisProcess.launch(binary, conf, port, dir.resolve(port + ".log"), dir.resolve(port + ".out"));
        launched.add(process);
      }
    } catch (IOException e) {
      PORTS_IN_USE.remove(port);
      throw new IllegalStateException("cannot write the config for port " + port + " into " + dir, e);
    } catch (RuntimeException e) {
      PORTS_IN_USE.remove(port);
      throw e;
    }
    return process;
  }

  /** Waits until the server answers as itself; relaunches on another port if its port was taken meanwhile. */
  private RedisProcess awaitServing(RedisProcess process, Map<String, String> config, long deadline) {
    RedisProcess current = process;
    int attempts = 1;
    while (true) {
      String problem;
      try (Jedis jedis = connect(HOST, current.port)) {
        String processId = infoField(jedis.info("server"), "process_id");
        if (processId != null && current.owns(Long.parseLong(processId))) {
          return current;
        }
        problem = "port " + current.port + " is served by another process (" + processId + ")";
      } catch (JedisException | NumberFormatException e) {
        problem = e.getMessage();
      }
      if (!current.isAlive()) {
        String output = read(current.log) + read(current.out);
        if (output.contains("Address already in use") && attempts < LAUNCH_ATTEMPTS) {
          // Another process bound the port (or its bus port) after we checked: try elsewhere.
          current.requestStop();
          attempts++;
          current = launch(config);
          continue;
        }
        throw new IllegalStateException("redis-server for port " + current.port + " exited during start-up"
            + tail(current));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server on port " + current.port + " did not answer in time ("
            + problem + ")");
      }
      pause(10, "redis-server on port " + current.port);
    }
  }

  private String configFile(int port, Map<String, String> extra) {
    StringBuilder lines = new StringBuilder()
        .append("port ").append(port).append('\n')
        .append("bind ").append(HOST).append('\n')
        .append("protected-mode no\n")
        .append("daemonize no\n");
    if (standalone) {
      lines.append("cluster-enabled no\n");
    } else {
      lines.append("cluster-enabled yes\n")
          .append("cluster-config-file ").append(quote("nodes-" + port + ".conf")).append('\n');
    }
    lines.append("save \"\"\n")
        .append("appendonly no\n")
        // Redis 7 syncs replicas diskless after a 5 s delay by default; tests should not wait for it.
        .append("repl-diskless-sync-delay 0\n")
        .append("dir ").append(quote(dir.toString())).append('\n')
        .append("logfile ").append(quote(dir.resolve(port + ".log").toString())).append('\n');
    extra.forEach((key, value) -> lines.append(key).append(' ').append(value).append('\n'));
    return lines.toString();
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static int reservePort() {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(PORT_CHOICES);
      if (PORTS_IN_USE.add(port)) {
        if (isFree(port) && isFree(port + BUS_PORT_OFFSET)) {
          return port;
        }
        PORTS_IN_USE.remove(port);
      }
    }
    throw new IllegalStateException("found no free pair of ports P and P+" + BUS_PORT_OFFSET + " on " + HOST
        + " with P in [" + LOWEST_PORT + ", " + (LOWEST_PORT + PORT_CHOICES - 1) + "]");
  }

  private static boolean isFree(int port) {
    // Like redis-server, bind with SO_REUSEADDR, so that TIME_WAIT leftovers do not make a port look taken.
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(HOST, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Attaching

  private void adopt(List<ClusterNode> view, String seedHost) {
    List<ClusterNode> masters = view.stream().filter(n -> n.isMaster() && n.slots() > 0)
        .sorted(Comparator.comparingInt(ClusterNode::firstSlot)).toList();
    if (masters.isEmpty()) {
      throw new IllegalArgumentException("the cluster has no master serving slots");
    }
    List<Node> all = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (ClusterNode master : masters) {
      all.add(new Node(master.host().isEmpty() ? seedHost : master.host(), master.port(), master.id(), true));
    }
    for (ClusterNode master : masters) {
      for (ClusterNode node : view) {
        if (!node.isMaster() && master.id().equals(node.masterId()) && !node.isUnhealthy()) {
          all.add(new Node(node.host().isEmpty() ? seedHost : node.host(), node.port(), node.id(), false));
          counts.merge(master.id(), 1, Integer::sum);
        }
      }
    }
    nodes = List.copyOf(all);
    replicaCounts = Map.copyOf(counts);
  }

  static List<HostAndPort> parseSeeds(String uri) {
    Objects.requireNonNull(uri, "uri");
    String rest = uri.strip();
    int scheme = rest.indexOf("://");
    if (scheme < 0 || !rest.substring(0, scheme).equalsIgnoreCase("redis")) {
      throw new IllegalArgumentException("expected redis://host:port[,host:port...], got " + uri);
    }
    rest = rest.substring(scheme + 3);
    for (char end : new char[] {'/', '?', '#'}) {
      int cut = rest.indexOf(end);
      rest = cut < 0 ? rest : rest.substring(0, cut);
    }
    List<HostAndPort> seeds = new ArrayList<>();
    for (String seed : rest.split(",")) {
      int colon = seed.lastIndexOf(':');
      if (seed.contains("@") || colon <= 0) {
        throw new IllegalArgumentException("expected host:port without credentials, got '" + seed + "' in " + uri);
      }
      try {
        seeds.add(new HostAndPort(seed.substring(0, colon), Integer.parseInt(seed.substring(colon + 1))));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in '" + seed + "' of " + uri, e);
      }
    }
    return seeds;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers

  static Jedis connect(String host, int port) {
    return new Jedis(new HostAndPort(host, port), CLIENT_CONFIG);
  }

  static String infoField(String info, String name) {
    String prefix = name + ":";
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    return null;
  }

  private String logTails() {
    StringBuilder out = new StringBuilder();
    for (RedisProcess process : launched) {
      out.append(tail(process));
    }
    return out.toString();
  }

  private static String tail(RedisProcess process) {
    return tail(process.log, 15) + tail(process.out, 15);
  }

  private static String tail(Path file, int lines) {
    String text = read(file).strip();
    if (text.isEmpty()) {
      return "";
    }
    List<String> all = text.lines().toList();
    return "\n--- " + file + " (last lines) ---\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines),
        all.size()));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static Path createClusterDir() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Live.sweepOnce(tmp);
    try {
      Path dir = Files.createTempDirectory(tmp, DIR_PREFIX);
      Files.writeString(dir.resolve(OWNER_FILE), ownerStamp(ProcessHandle.current()));
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temp directory for the cluster in " + tmp, e);
    }
  }

  private static String ownerStamp(ProcessHandle process) {
    return process.pid() + " " + process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("?");
  }

  /** Deletes cluster directories whose owning JVM is gone (killed before it could clean up). */
  static void deleteStaleDirs(Path tmp) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIR_PREFIX + "*")) {
      for (Path candidate : dirs) {
        String[] owner;
        try {
          owner = Files.readString(candidate.resolve(OWNER_FILE)).strip().split(" ");
        } catch (IOException e) {
          continue; // no stamp (yet): not ours to judge
        }
        Optional<ProcessHandle> process;
        try {
          process = ProcessHandle.of(Long.parseLong(owner[0]));
        } catch (NumberFormatException e) {
          continue;
        }
        boolean ownerLives = process.isPresent() && process.get().isAlive()
            && (owner.length < 2 || owner[1].equals("?") || ownerStamp(process.get()).equals(String.join(" ", owner)));
        if (!ownerLives) {
          deleteRecursively(candidate);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Best effort: a leftover directory costs a little disk space, nothing more.
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      // Best effort, as above.
    }
  }

  /** Clusters of this JVM still open, closed by a shutdown hook. */
  private static final class Live {
    static final Set<LocalRedisCluster> OPEN = ConcurrentHashMap.newKeySet();
    private static final Set<Path> SWEPT = new HashSet<>();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(Live::closeAll, "slotcache-testkit-cleanup"));
    }

    static synchronized void sweepOnce(Path tmp) {
      if (SWEPT.add(tmp)) {
        deleteStaleDirs(tmp);
      }
    }

    private static void closeAll() {
      for (LocalRedisCluster cluster : List.copyOf(OPEN)) {
        try {
          cluster.close();
        } catch (RuntimeException e) {
          // Keep going: the other clusters still need stopping.
        }
      }
    }
  }
}
