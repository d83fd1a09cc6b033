package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * Watches the masters of one connected cluster and logs, on logger {@value #LOGGER}, what an operator needs to
 * know: the topology when first connected (INFO; WARN for a master older than Redis 6.2), a master that stops
 * answering (WARN) and answers again (INFO), a change of the masters or of the slots they serve (WARN when a master
 * left, as in a failover; INFO otherwise), and a cluster of which no node answers (WARN) until one does (INFO).
 *
 * <p>One daemon thread, a round a second: {@code CLUSTER SLOTS} on one node that answers (Jedis' slot map is
 * renewed only when that shows a change), then {@code PING} on every master, on pooled connections bounded by
 * {@code slotcache.timeout}. Only transitions are logged, never a line per round. {@link #close()} stops it; a round
 * in flight ends within one timeout.
 */
final class ClusterMonitor implements AutoCloseable {

  static final String LOGGER = "dev.slotcache.cluster";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final long ROUND_MILLIS = 1_000;
  private static final int[] VERSION_FLOOR = {6, 2};

  private final ClusterEndpoint endpoint;
  private final ClusterConnectionProvider provider;
  private final Thread thread;
  private volatile boolean closed;
  // Confined to the monitor thread once started (and to the connecting thread before).
  private Map<String, String> masters = Map.of();
  /** The slots of each master as last read; empty before the first read. */
  private volatile Map<String, BitSet> slots = Map.of();
  private final List<Consumer<Map<String, BitSet>>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Long> downSince = new HashMap<>();
  private boolean unreachable;

  ClusterMonitor(ClusterEndpoint endpoint, ClusterConnectionProvider provider) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.thread = new Thread(this::run, "slotcache-cluster-monitor");
    this.thread.setDaemon(true);
  }

  /** The slots each master served when last read ({@code host:port} → slots); empty when never read. */
  Map<String, BitSet> slotsByMaster() {
    return slots;
  }

  /** Calls {@code listener} on the monitor thread with the new slots of every master whenever they change. */
  void onChange(Consumer<Map<String, BitSet>> listener) {
    listeners.add(listener);
  }

  /** Logs the topology just connected to (on the calling thread), then starts watching it. */
  void start() {
    RedisCalls.Result<Topology> read = readTopology();
    if (read.failed()) {
      LOG.info("connected to the Redis Cluster at {}, but could not read its topology yet: {}", endpoint.describe(),
          ConnectFailure.explain(endpoint, read.failure()));
    } else {
      Map<String, String> topology = read.value().described();
      masters = topology;
      slots = read.value().slots();
      List<String> described = new ArrayList<>();
      for (Map.Entry<String, String> master : topology.entrySet()) {
        String version = version(master.getKey());
        described.add(master.getKey() + " (" + master.getValue() + ", Redis " + version + ")");
        if (belowFloor(version)) {
          LOG.warn("the master at {} runs Redis {}; Slotcache needs Redis {}.{} or newer (GETEX, GETDEL, SET … GET): "
              + "operations on its slots fail", master.getKey(), version, VERSION_FLOOR[0], VERSION_FLOOR[1]);
        }
      }
      LOG.info("connected to the Redis Cluster at {}{}: {} master{}: {}", endpoint.describe(),
          endpoint.user() != null ? " as user '" + endpoint.user() + "'" : "", topology.size(),
          topology.size() == 1 ? "" : "s", String.join(", ", described));
    }
    thread.start();
  }

  private void run() {
    while (!closed) {
      try {
        TimeUnit.MILLISECONDS.sleep(ROUND_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      try {
        round();
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.debug("watching the Redis Cluster at {} failed this round", endpoint.describe(), e);
        }
      }
    }
  }

  private void round() {
    RedisCalls.Result<Topology> read = readTopology();
    if (read.failed()) {
      if (!unreachable && !closed) {
        unreachable = true;
        LOG.warn("no node of the Redis Cluster at {} answers ({}); every operation fails until one does",
            endpoint.describe(), ConnectFailure.explain(endpoint, "any node", read.failure()));
      }
      return;
    }
    Map<String, String> topology = read.value().described();
    if (unreachable && !closed) {
      unreachable = false;
      LOG.info("the Redis Cluster at {} answers again", endpoint.describe());
    }
    if (!read.value().slots().equals(slots)) {
      provider.renewSlotCache();
      logChange(masters, topology);
      masters = topology;
      slots = read.value().slots();
      downSince.keySet().retainAll(topology.keySet());
      for (Consumer<Map<String, BitSet>> listener : listeners) {
        try {
          listener.accept(slots);
        } catch (RuntimeException e) {
          LOG.warn("a listener of topology changes failed", e);
        }
      }
    }
    for (Map.Entry<String, String> master : topology.entrySet()) {
      String node = master.getKey();
      String problem = ping(node);
      if (closed) {
        return;
      }
      if (problem != null && !downSince.containsKey(node)) {
        downSince.put(node, System.nanoTime());
        LOG.warn("lost master {} ({}): {}; operations on its slots fail until it answers again or a replica takes "
            + "over", node, master.getValue(), problem);
      } else if (problem == null && downSince.containsKey(node)) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince.remove(node));
        LOG.info("master {} ({}) answers again, after {} ms", node, master.getValue(), millis);
      }
    }
  }

  private void logChange(Map<String, String> before, Map<String, String> after) {
    if (closed) {
      return;
    }
    Set<String> gone = new LinkedHashSet<>(before.keySet());
    gone.removeAll(after.keySet());
    Set<String> added = new LinkedHashSet<>(after.keySet());
    added.removeAll(before.keySet());
    List<String> now = new ArrayList<>();
    after.forEach((node, slots) -> now.add(node + " (" + slots + ")"));
    String message = "the masters of the Redis Cluster at {} changed: now {}; new: {}; gone: {}";
    Object[] args = {endpoint.describe(), String.join(", ", now), added.isEmpty() ? "none" : String.join(", ", added),
        gone.isEmpty() ? "none" : String.join(", ", gone)};
    if (gone.isEmpty()) {
      LOG.info(message + " (slots moved)", args);
    } else {
      LOG.warn(message + " (a failover, or a master removed)", args);
    }
  }

  /**
   * The masters, {@code host:port} → "slots 0-5460", in slot order, as one node that answers reports them:
   * masters not known to be down first, then every other node Jedis knows.
   */
  private RedisCalls.Result<Topology> readTopology() {
    Set<String> candidates = new LinkedHashSet<>();
    for (String master : masters.keySet()) {
      if (!downSince.containsKey(master)) {
        candidates.add(master);
      }
    }
    candidates.addAll(provider.getNodes().keySet());
    RedisCalls.Result<Topology> last = new RedisCalls.Result<>(null, new JedisException("no node is known"));
    for (String candidate : candidates) {
      if (closed) {
        break;
      }
      HostAndPort node = HostAndPort.from(candidate);
      last = RedisCalls.attempt(() -> {
        try (Connection connection = provider.getConnection(node)) {
          Object reply = connection.executeCommand(new CommandArguments(Protocol.Command.CLUSTER).add("SLOTS"));
          return masters((List<?>) reply, node.getHost());
        }
      });
      if (!last.failed()) {
        return last;
      }
    }
    return last;
  }

  /** The masters as logged ({@code host:port} → "slots 0-5460") and their slots. */
  private record Topology(Map<String, String> described, Map<String, BitSet> slots) {
  }

  private static Topology masters(List<?> slots, String askedHost) {
    TreeMap<Long, String> ownerByStart = new TreeMap<>();
    Map<String, BitSet> slotsOf = new LinkedHashMap<>();
    Map<Long, Long> endByStart = new HashMap<>();
    for (Object entry : slots) {
      List<?> range = (List<?>) entry;
      List<?> master = (List<?>) range.get(2);
      String host = new String((byte[]) master.get(0), StandardCharsets.UTF_8);
      String node = (host.isEmpty() ? askedHost : host) + ":" + master.get(1);
      ownerByStart.put((Long) range.get(0), node);
      endByStart.put((Long) range.get(0), (Long) range.get(1));
    }
    Map<String, List<String>> ranges = new LinkedHashMap<>();
    Map<String, Long> counts = new HashMap<>();
    ownerByStart.forEach((start, node) -> {
      long end = endByStart.get(start);
      ranges.computeIfAbsent(node, k -> new ArrayList<>()).add(start == end ? "" + start : start + "-" + end);
      counts.merge(node, end - start + 1, Long::sum);
      slotsOf.computeIfAbsent(node, k -> new BitSet(SegmentedKeyLayout.SLOTS)).set((int) (long) start, (int) end + 1);
    });
    Map<String, String> result = new LinkedHashMap<>();
    ranges.forEach((node, list) -> result.put(node, list.size() <= 4 ? "slots " + String.join(",", list)
        : counts.get(node) + " slots in " + list.size() + " ranges"));
    return new Topology(result, slotsOf);
  }

  /** Null when {@code node} answers PING, else why not. */
  private String ping(String node) {
    JedisException failed = RedisCalls.failureOf(() -> {
      try (Connection connection = provider.getConnection(HostAndPort.from(node))) {
        connection.executeCommand(new CommandArguments(Protocol.Command.PING));
      }
    });
    return failed == null ? null : ConnectFailure.explain(endpoint, node, failed);
  }

  /** {@code redis_version} from {@code INFO server}, or "unknown". */
  private String version(String node) {
    RedisCalls.Result<String> read = RedisCalls.attempt(() -> {
      try (Connection connection = provider.getConnection(HostAndPort.from(node))) {
        Object reply = connection.executeCommand(new CommandArguments(Protocol.Command.INFO).add("server"));
        String info = reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
        for (String line : info.split("\r?\n")) {
          if (line.startsWith("redis_version:")) {
            return line.substring("redis_version:".length()).strip();
          }
        }
        return "unknown";
      }
    });
    if (read.failed()) {
      LOG.debug("cannot read the Redis version of {}", node, read.failure());
      return "unknown";
    }
    return read.value();
  }

  /** Whether {@code version} ("6.0.9") is older than the documented floor; an unreadable one is not. */
  static boolean belowFloor(String version) {
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major < VERSION_FLOOR[0] || major == VERSION_FLOOR[0] && minor < VERSION_FLOOR[1];
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
