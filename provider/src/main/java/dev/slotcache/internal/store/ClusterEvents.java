package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.Tuple;

/**
 * Entry events between the JVMs of one namespace, through Redis pub/sub:
 * <ul>
 *   <li>a registry ({@code <namespace>:listening}, a sorted set of {@code <cache>\0<jvm>} scored by a lease
 *       deadline) says which caches have listeners in which JVMs, renewed every second by each listening JVM,
 *       so that nothing is published for a cache nobody else listens to;</li>
 *   <li>operations publish on {@code <namespace>:events:<cache>}; a cluster forwards a PUBLISH to every node,
 *       so one pattern subscription on any master hears them all;</li>
 *   <li>expired entries come from keyspace notifications ({@code __keyevent@0__:expired}), which a node sends
 *       only to its own subscribers: one subscription per master, re-established after failover or a change
 *       of masters. {@code notify-keyspace-events} is switched on where it is off; where the server refuses
 *       (CONFIG disabled), a warning says that expiry events cannot be delivered.</li>
 * </ul>
 * Pub/sub is at most once: messages published while a subscriber reconnects are lost; {@link #gaps()} counts
 * the subscriptions lost, {@link #publishFailures()} the messages this JVM could not send; both are logged on
 * {@value #LOGGER}. Started on the first listener, stopped by {@link #close()}. Thread-safe.
 */
public final class ClusterEvents implements AutoCloseable {

  /** Gaps, lost publishes, keyspace notifications that cannot be enabled. */
  static final String LOGGER = "dev.slotcache.events";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final long LEASE_MILLIS = 10_000;
  private static final int WARN_INTERVAL_SECONDS = 10;
  private static final byte[] EXPIRED_PATTERN = "__keyevent@*__:expired".getBytes(StandardCharsets.UTF_8);

  /** Receives what other JVMs and Redis report. */
  public interface Handler {
    /** A message another JVM published for {@code cacheName}. */
    void message(String cacheName, byte[] message);

    /** Redis expired {@code redisKey} (any key of any namespace: the handler filters). */
    void expired(byte[] redisKey);
  }

  private final RedisCluster cluster;
  private final String namespace;
  private final String jvmId;
  private final Handler handler;
  private final byte[] registryKey;
  private final String channelPrefix;
  private final Set<String> localCaches = ConcurrentHashMap.newKeySet();
  private volatile Set<String> remoteCaches = Set.of();
  private final Map<HostAndPort, Subscription> expirySubscriptions = new HashMap<>();
  private Subscription eventSubscription;
  private Thread keeper;
  private volatile boolean closed;
  private volatile long gaps;
  private final AtomicLong publishFailures = new AtomicLong();
  private final WarningThrottle publishWarnings = new WarningThrottle(Duration.ofSeconds(WARN_INTERVAL_SECONDS));
  private final WarningThrottle gapWarnings = new WarningThrottle(Duration.ofSeconds(WARN_INTERVAL_SECONDS));

  public ClusterEvents(RedisCluster cluster, String namespace, String jvmId, Handler handler) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.namespace = SegmentedKeyLayout.escape(Objects.requireNonNull(namespace, "namespace"), false);
    this.jvmId = Objects.requireNonNull(jvmId, "jvmId");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.registryKey = (this.namespace + ":listening").getBytes(StandardCharsets.UTF_8);
    this.channelPrefix = this.namespace + ":events:";
  }

  /** Whether a JVM other than this one has listeners on {@code cacheName} (as of the last lease renewal). */
  public boolean othersListen(String cacheName) {
    return remoteCaches.contains(cacheName);
  }

  /** This JVM listens (or stops listening) on a cache; the first listener starts the subscriptions. */
  public synchronized void listening(String cacheName, boolean listening) {
    if (closed) {
      return;
    }
    if (listening) {
      localCaches.add(cacheName);
    } else {
      localCaches.remove(cacheName);
    }
    start();
    try {
      renew();
    } catch (RuntimeException e) {
      // The keeper thread renews every second; an unreachable cluster is reported by the operations.
      LOG.debug("registering a listener lease failed; retrying in the background", e);
    }
  }

  /**
   * Starts learning which caches other JVMs listen on (one small round trip a second), so that this JVM's
   * operations publish their events; idempotent.
   */
  public synchronized void start() {
    if (closed || keeper != null) {
      return;
    }
    keeper = new Thread(this::keep, "slotcache-events-keeper");
    keeper.setDaemon(true);
    keeper.start();
  }

  /**
   * Publishes an event message of {@code cacheName} for the other JVMs. Never throws: the operation that caused
   * the event has happened, and pub/sub is at most once, so a failed send is counted ({@link #publishFailures()})
   * and logged (at most one warning per {@value #WARN_INTERVAL_SECONDS} s).
   */
  public void publish(String cacheName, byte[] message) {
    byte[] channel = (channelPrefix + SegmentedKeyLayout.escape(cacheName, true)).getBytes(StandardCharsets.UTF_8);
    try {
      RedisCalls.call(() -> cluster.connected().client.publish(channel, message),
          e -> new StoreException(e.getMessage(), e));
    } catch (StoreException e) {
      long failures = publishFailures.incrementAndGet();
      if (publishWarnings.allow()) {
        LOG.warn("cache '{}': an event could not be published to listeners in other JVMs ({}); they miss it, the "
            + "write itself is done (pub/sub is at most once). Events that could not be published so far: {}",
            cacheName, e.getMessage(), failures);
      } else {
        LOG.debug("cache '{}': an event could not be published ({}); so far: {}", cacheName, e.getMessage(), failures);
      }
    }
  }

  /** How many established subscriptions were lost and had to be re-established (events in between may be lost). */
  public long gaps() {
    return gaps;
  }

  /** How many events {@link #publish} could not send. */
  public long publishFailures() {
    return publishFailures.get();
  }

  /** Renews the lease, learns who else listens, and keeps one expiry subscription per current master. */
  private void keep() {
    for (long round = 0; !closed; round++) {
      try {
        renew();
        if (round % 5 == 4 && !localCaches.isEmpty()) {
          // A failover or resharding changes the masters without any command of ours being redirected.
          cluster.connected().provider.renewSlotCache();
        }
        syncSubscriptions();
      } catch (RuntimeException e) {
        LOG.debug("renewing event subscriptions failed; retrying", e);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void renew() {
    long now = System.currentTimeMillis();
    var client = cluster.connected().client;
    Map<byte[], Double> leases = new HashMap<>();
    for (String cache : localCaches) {
      leases.put(member(cache), (double) (now + LEASE_MILLIS));
    }
    if (!leases.isEmpty()) {
      client.zadd(registryKey, leases);
    }
    client.zremrangeByScore(registryKey, Double.NEGATIVE_INFINITY, now);
    Set<String> remote = new HashSet<>();
    List<Tuple> members = client.zrangeWithScores(registryKey, 0, -1);
    for (Tuple member : members) {
      String text = new String(member.getBinaryElement(), StandardCharsets.UTF_8);
      int separator = text.lastIndexOf('\0');
      if (separator > 0 && !text.substring(separator + 1).equals(jvmId)) {
        remote.add(text.substring(0, separator));
      }
    }
    remoteCaches = Set.copyOf(remote);
  }

  private byte[] member(String cache) {
    return (cache + "\0" + jvmId).getBytes(StandardCharsets.UTF_8);
  }

  private synchronized void syncSubscriptions() {
    if (closed || localCaches.isEmpty()) {
      return;
    }
    RedisCluster.Connected connected = cluster.connected();
    Set<HostAndPort> masters = new HashSet<>();
    for (String node : connected.provider.getPrimaryNodes().keySet()) {
      masters.add(HostAndPort.from(node));
    }
    if (eventSubscription == null || !eventSubscription.isAlive()) {
      if (eventSubscription != null) {
        gap(eventSubscription, "other JVMs' entry events");
      }
      HostAndPort any = masters.iterator().next();
      eventSubscription = new Subscription(any, false);
    }
    expirySubscriptions.entrySet().removeIf(entry -> {
      if (!masters.contains(entry.getKey()) || !entry.getValue().isAlive()) {
        entry.getValue().stop();
        gap(entry.getValue(), "expiry notifications");
        return true;
      }
      return false;
    });
    for (HostAndPort master : masters) {
      expirySubscriptions.computeIfAbsent(master, node -> new Subscription(node, true));
    }
  }

  /**
   * Counts and reports a subscription that ended. Only one that was established counts: while a node stays down,
   * the attempts to subscribe again that fail are part of the same gap.
   */
  private void gap(Subscription ended, String what) {
    if (!ended.established) {
      return;
    }
    long count = ++gaps;
    if (gapWarnings.allow()) {
      LOG.warn("the subscription to {} on {} was lost and is being re-established; events published meanwhile may "
          + "have been lost; gaps so far: {}", what, ended.node, count);
    } else {
      LOG.debug("the subscription to {} on {} was lost; gaps so far: {}", what, ended.node, count);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (keeper != null) {
      keeper.interrupt();
    }
    if (eventSubscription != null) {
      eventSubscription.stop();
    }
    expirySubscriptions.values().forEach(Subscription::stop);
    expirySubscriptions.clear();
    if (!localCaches.isEmpty()) {
      try {
        var client = cluster.connected().client;
        for (String cache : localCaches) {
          client.zrem(registryKey, member(cache));
        }
      } catch (RuntimeException e) {
        LOG.debug("could not withdraw listener leases; they lapse in {} ms", LEASE_MILLIS, e);
      }
    }
  }

  /** One pattern subscription on one node, on its own connection and daemon thread. */
  private final class Subscription extends BinaryJedisPubSub {
    private final Thread thread;
    final HostAndPort node;
    private volatile Connection connection;
    private volatile boolean stopped;
    /** Whether Redis confirmed the subscription: only then can its end lose events. */
    volatile boolean established;

    Subscription(HostAndPort node, boolean expiry) {
      this.node = node;
      thread = new Thread(() -> run(node, expiry), "slotcache-events-" + node);
      thread.setDaemon(true);
      thread.start();
    }

    boolean isAlive() {
      return thread.isAlive();
    }

    private void run(HostAndPort node, boolean expiry) {
      try {
        connection = new Connection(node, cluster.connected().config);
        connection.setTimeoutInfinite();
        byte[] pattern = (channelPrefix + "*").getBytes(StandardCharsets.UTF_8);
        if (expiry) {
          enableExpiryNotifications(connection, node);
          pattern = EXPIRED_PATTERN;
        }
        proceedWithPatterns(connection, pattern);
      } catch (RuntimeException e) {
        if (!stopped) {
          LOG.debug("event subscription on {} ended; it will be re-established", node, e);
        }
      } finally {
        Connection c = connection;
        if (c != null) {
          c.close();
        }
      }
    }

    @Override
    public void onPSubscribe(byte[] pattern, int subscribedChannels) {
      established = true;
    }

    @Override
    public void onPMessage(byte[] pattern, byte[] channel, byte[] message) {
      try {
        if (pattern.length == EXPIRED_PATTERN.length && java.util.Arrays.equals(pattern, EXPIRED_PATTERN)) {
          handler.expired(message);
        } else {
          String name = new String(channel, StandardCharsets.UTF_8).substring(channelPrefix.length());
          handler.message(unescape(name), message);
        }
      } catch (RuntimeException e) {
        LOG.warn("a cache entry event could not be delivered: {}", e.toString());
      }
    }

    void stop() {
      stopped = true;
      Connection c = connection;
      if (c != null) {
        c.close();
      }
      thread.interrupt();
    }
  }

  private static void enableExpiryNotifications(Connection connection, HostAndPort node) {
    JedisException e = RedisCalls.failureOf(() -> {
      @SuppressWarnings("unchecked")
      List<Object> reply = (List<Object>) connection.executeCommand(
          new redis.clients.jedis.CommandArguments(Protocol.Command.CONFIG).add("GET").add("notify-keyspace-events"));
      String flags = reply.size() < 2 ? "" : new String((byte[]) reply.get(1), StandardCharsets.UTF_8);
      boolean on = flags.contains("E") && (flags.contains("x") || flags.contains("A"));
      if (!on) {
        String wanted = flags.contains("E") ? flags + "x" : flags + "Ex";
        connection.executeCommand(new redis.clients.jedis.CommandArguments(Protocol.Command.CONFIG).add("SET")
            .add("notify-keyspace-events").add(wanted));
      }
    });
    if (e != null) {
      LOG.warn("cannot enable keyspace notifications on {} ({}): entry listeners will get no EXPIRED events for "
          + "entries that node expires; set notify-keyspace-events to include 'Ex' on every master", node,
          e.getMessage());
    }
  }

  /** Undoes {@link SegmentedKeyLayout#escape}. */
  static String unescape(String escaped) {
    if (escaped.indexOf('%') < 0) {
      return escaped;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] bytes = escaped.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
