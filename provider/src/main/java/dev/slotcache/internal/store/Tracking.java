package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;

/**
 * Redis' server-assisted client tracking for the near caches of one manager: on every master, one connection of its
 * own that asks for broadcast invalidations of every key of the manager's namespace ({@code CLIENT TRACKING ON
 * REDIRECT <its own id> BCAST PREFIX <namespace>:{}) and receives them as pub/sub messages on
 * {@code __redis__:invalidate} (RESP2), so that a write by any client, a {@code DEL} from {@code redis-cli}, an
 * expiry, an eviction and a {@code FLUSHALL} all reach the near caches.
 *
 * <p>Whenever invalidations may have been missed, the slots of the master concerned are {@linkplain Listener#flushed
 * flushed}: its connection drops or is killed, its liveness probe goes unanswered for {@value #PROBE_TIMEOUT_MILLIS}
 * ms (a {@code PING} every {@value #PROBE_EVERY_MILLIS} ms), or the monitor sees slots change owner (a failover, a
 * resharding). {@link #live()} is false while any master known to own slots has no tracking connection: near caches
 * then fill nothing.
 *
 * <p>One daemon thread per master reads; one more sends the probes. Thread-safe.
 */
public final class Tracking implements AutoCloseable {

  static final String LOGGER = "dev.slotcache.nearcache";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  static final long PROBE_EVERY_MILLIS = 200;
  static final int PROBE_TIMEOUT_MILLIS = 700;
  private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);

  /** What a near cache is told. */
  public interface Listener {
    /** {@code redisKey} (of this listener's cache) was changed by someone, or expired, or was evicted. */
    void invalidated(byte[] redisKey);

    /** Invalidations of {@code slots} may have been missed; null: of every slot. */
    void flushed(BitSet slots);
  }

  private final RedisCluster cluster;
  private final String namespace;
  private final byte[] prefix;
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  private final Map<String, Tracker> trackers = new HashMap<>();
  /** Bumped whenever a master's tracking starts or stops: near caches compare it around a read. */
  private final AtomicLong epoch = new AtomicLong();
  private final Object lock = new Object();
  private ScheduledExecutorService prober;
  private RedisCluster.Connected connected;
  private volatile boolean live;
  private volatile boolean closed;

  public Tracking(RedisCluster cluster, String namespace) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.prefix = (SegmentedKeyLayout.escape(namespace, false) + ":{").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Starts delivering the invalidations of cache {@code cacheName} to {@code listener} (tracking every master first,
   * when this is the first cache).
   */
  public void register(String cacheName, Listener listener) {
    synchronized (lock) {
      if (closed) {
        throw new StoreException("the near-cache tracking of namespace " + namespace + " is closed");
      }
      listeners.put(cacheName, listener);
      if (connected == null) {
        connected = cluster.connected("(near cache)", "tracking");
        prober = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread thread = new Thread(r, "slotcache-tracking-probe");
          thread.setDaemon(true);
          return thread;
        });
        prober.scheduleWithFixedDelay(this::probe, PROBE_EVERY_MILLIS, PROBE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        connected.monitor.onChange(this::topologyChanged);
        reconcile(connected.monitor.slotsByMaster());
      }
    }
    awaitLive(cluster.endpoint().connectTimeout().toMillis());
  }

  /** Waits (at most {@code millis}) until every master is tracked, so that a new near cache fills from its first read. */
  private void awaitLive(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (lock) {
      while (!live && !closed) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          LOG.warn("near caches of namespace {}: not every master is tracked yet; nothing is kept in memory until "
              + "they are", namespace);
          return;
        }
        try {
          lock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  public void unregister(String cacheName) {
    listeners.remove(cacheName);
  }

  /** True when every master has a tracking connection that answers. */
  public boolean live() {
    return live;
  }

  /** Changes whenever a master's tracking connection comes or goes. */
  public long epoch() {
    return epoch.get();
  }

  private void topologyChanged(Map<String, BitSet> slots) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      Map<String, BitSet> before = new HashMap<>();
      trackers.forEach((node, tracker) -> before.put(node, tracker.slots));
      BitSet moved = new BitSet(SegmentedKeyLayout.SLOTS);
      Set<String> nodes = new HashSet<>(before.keySet());
      nodes.addAll(slots.keySet());
      for (String node : nodes) {
        BitSet was = before.getOrDefault(node, new BitSet());
        BitSet now = slots.getOrDefault(node, new BitSet());
        BitSet changed = (BitSet) was.clone();
        changed.xor(now);
        moved.or(changed);
      }
      if (!moved.isEmpty()) {
        LOG.info("near caches of namespace {}: {} slots changed owner; their near-cache entries are dropped",
            namespace, moved.cardinality());
        epoch.incrementAndGet();
        flush(moved);
      }
      reconcile(slots);
    }
  }

  /** Starts a tracker for every master without one, stops those of nodes that are no longer masters. */
  private void reconcile(Map<String, BitSet> slots) {
    if (slots.isEmpty()) {
      updateLive();
      return;
    }
    trackers.entrySet().removeIf(entry -> {
      if (!slots.containsKey(entry.getKey())) {
        entry.getValue().stop();
        return true;
      }
      return false;
    });
    for (Map.Entry<String, BitSet> master : slots.entrySet()) {
      Tracker tracker = trackers.get(master.getKey());
      if (tracker == null) {
        tracker = new Tracker(HostAndPort.from(master.getKey()), (BitSet) master.getValue().clone());
        trackers.put(master.getKey(), tracker);
        tracker.thread.start();
      } else {
        tracker.slots = (BitSet) master.getValue().clone();
      }
    }
    updateLive();
  }

  /** Called holding the lock. */
  private void updateLive() {
    boolean all = !trackers.isEmpty();
    for (Tracker tracker : trackers.values()) {
      all &= tracker.live;
    }
    live = all && !closed;
    lock.notifyAll();
  }

  private void flush(BitSet slots) {
    for (Listener listener : listeners.values()) {
      try {
        listener.flushed(slots);
      } catch (RuntimeException e) {
        LOG.warn("a near cache of namespace {} failed to drop its entries", namespace, e);
      }
    }
  }

  private void probe() {
    List<Tracker> all;
    synchronized (lock) {
      all = List.copyOf(trackers.values());
    }
    for (Tracker tracker : all) {
      tracker.ping();
    }
  }

  private void dispatch(List<?> keys) {
    if (keys == null) {
      // FLUSHALL / FLUSHDB, or Redis dropped its tracking table: every key may have changed.
      flush(null);
      return;
    }
    for (Object key : keys) {
      byte[] redisKey = (byte[]) key;
      String cacheName = SegmentedKeyLayout.cacheNameOf(namespace, redisKey);
      Listener listener = cacheName == null ? null : listeners.get(cacheName);
      if (listener != null) {
        listener.invalidated(redisKey);
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      live = false;
      trackers.values().forEach(Tracker::stop);
      trackers.clear();
      if (prober != null) {
        prober.shutdownNow();
      }
      listeners.clear();
    }
  }

  /** The tracking connection of one master and the thread that reads it. */
  private final class Tracker {
    private final HostAndPort node;
    private final Thread thread;
    private volatile BitSet slots;
    private volatile Connection connection;
    private volatile boolean live;
    private volatile boolean stopped;
    private volatile boolean lostLogged;

    Tracker(HostAndPort node, BitSet slots) {
      this.node = node;
      this.slots = slots;
      this.thread = new Thread(this::run, "slotcache-tracking-" + node);
      this.thread.setDaemon(true);
    }

    private void run() {
      long backoff = 50;
      while (!stopped && !closed) {
        try {
          connectAndRead();
          backoff = 50;
        } catch (RuntimeException e) {
          lost(e);
        }
        if (stopped || closed) {
          return;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(backoff);
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(1_000, backoff * 2);
      }
    }

    private void connectAndRead() {
      Connection opened = new Connection(node, connected.config);
      connection = opened;
      try {
        opened.setSoTimeout(PROBE_TIMEOUT_MILLIS);
        long id = (Long) opened.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("ID"));
        opened.executeCommand(new CommandArguments(Protocol.Command.CLIENT).add("TRACKING").add("ON")
            .add("REDIRECT").add(id).add("BCAST").add("PREFIX").add(prefix));
        opened.sendCommand(Protocol.Command.SUBSCRIBE, CHANNEL);
        opened.getOne(); // the subscription's confirmation
        if (stopped || closed) {
          return;
        }
        started();
        while (!stopped && !closed) {
          Object message = opened.getUnflushedObject();
          if (message instanceof List<?> parts && parts.size() == 3 && "message".equals(text(parts.get(0)))) {
            dispatch((List<?>) parts.get(2));
          }
          // anything else is the answer to a probe
        }
      } finally {
        connection = null;
        opened.close();
      }
    }

    private void started() {
      synchronized (lock) {
        live = true;
        epoch.incrementAndGet();
        updateLive();
      }
      if (lostLogged) {
        lostLogged = false;
        LOG.info("near caches of namespace {}: tracking master {} again", namespace, node);
      } else {
        LOG.debug("near caches of namespace {}: tracking master {}", namespace, node);
      }
    }

    private void lost(RuntimeException cause) {
      boolean wasLive = live;
      synchronized (lock) {
        live = false;
        epoch.incrementAndGet();
        updateLive();
      }
      if (stopped || closed) {
        return;
      }
      flush(slots);
      if (wasLive || !lostLogged) {
        lostLogged = true;
        LOG.warn("near caches of namespace {}: lost the invalidation connection to master {} ({}); its {} slots' "
            + "near-cache entries are dropped and none are kept until it is back", namespace, node,
            ConnectFailure.explain(cluster.endpoint(), node.toString(), cause), slots.cardinality());
      }
    }

    void ping() {
      Connection current = connection;
      if (current != null && live) {
        RedisCalls.failureOf(() -> {
          current.sendCommand(Protocol.Command.PING);
          current.getMany(0); // flushes, reads nothing: the reader thread reads the answer
        });
      }
    }

    void stop() {
      stopped = true;
      live = false;
      Connection current = connection;
      if (current != null) {
        RedisCalls.failureOf(current::close);
      }
      thread.interrupt();
    }
  }

  private static String text(Object part) {
    return part instanceof byte[] bytes ? new String(bytes, StandardCharsets.US_ASCII) : String.valueOf(part);
  }
}
