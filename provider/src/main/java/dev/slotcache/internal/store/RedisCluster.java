package dev.slotcache.internal.store;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * The connections of one CacheManager to one Redis Cluster: a cluster client for single commands (it
 * follows MOVED/ASK and reconnects), the slot map and per-node pools for batching per node (from the calling
 * thread: no thread of ours sends a batch), and a {@link ClusterMonitor} that logs the topology and outages.
 *
 * <p>Connecting is lazy and retried: a manager can be created while the cluster is down, and every operation
 * tries again until it is up. Thread-safe. {@link #close()} releases every connection and thread.
 */
public final class RedisCluster implements AutoCloseable {

  private final ClusterEndpoint endpoint;
  private final Object connectLock = new Object();
  private volatile Connected connected;
  private volatile boolean closed;

  public RedisCluster(ClusterEndpoint endpoint) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  public ClusterEndpoint endpoint() {
    return endpoint;
  }

  /**
   * {@link #connected()} for one operation of one cache: a failure to connect says which cache and operation it
   * stopped, then why.
   */
  Connected connected(String cacheName, String operation) {
    try {
      return connected();
    } catch (StoreException e) {
      throw new StoreException("cache '" + cacheName + "': " + operation + " failed: " + e.getMessage(),
          e.getCause());
    }
  }

  /** The connected client and slot map; connects on first use. */
  Connected connected() {
    Connected c = connected;
    if (c != null) {
      return c;
    }
    synchronized (connectLock) {
      if (closed) {
        throw new StoreException("the connection to " + endpoint.describe() + " is closed");
      }
      if (connected == null) {
        connected = connect();
      }
      return connected;
    }
  }

  private Connected connect() {
    Set<HostAndPort> seeds = new LinkedHashSet<>();
    for (String seed : endpoint.seeds()) {
      seeds.add(HostAndPort.from(seed));
    }
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .protocol(RedisProtocol.RESP2)
        .socketTimeoutMillis(millis(endpoint.timeout()))
        .connectionTimeoutMillis(millis(endpoint.connectTimeout()));
    if (endpoint.tls()) {
      // The JVM's default trust store and full host name verification.
      config.sslOptions(SslOptions.defaults());
    }
    if (endpoint.user() != null) {
      config.user(endpoint.user());
    }
    if (endpoint.password() != null) {
      config.password(endpoint.password());
    }
    if (endpoint.clientName() != null) {
      config.clientName(endpoint.clientName());
    }
    JedisClientConfig clientConfig = config.build();
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(endpoint.poolSizePerNode());
    pool.setMaxIdle(endpoint.poolSizePerNode());
    pool.setMinIdle(0);
    pool.setMaxWait(endpoint.timeout());
    pool.setJmxEnabled(false);
    ClusterConnectionProvider provider = RedisCalls.call(() -> new ClusterConnectionProvider(seeds, clientConfig, pool),
        e -> new StoreException("cannot reach the Redis Cluster at " + endpoint.describe() + " — "
            + ConnectFailure.explain(endpoint, e), e));
    UnifiedJedis client = RedisClusterClient.builder()
        .nodes(seeds)
        .connectionProvider(provider)
        .clientConfig(clientConfig)
        .maxAttempts(endpoint.maxAttempts())
        .maxTotalRetriesDuration(endpoint.maxRetryTime())
        .build();
    ClusterMonitor monitor = new ClusterMonitor(endpoint, provider);
    monitor.start();
    return new Connected(client, provider, clientConfig, monitor);
  }

  private static int millis(java.time.Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  /** The node that owns {@code slot}, as {@code host:port}; for error messages. */
  String ownerOf(int slot) {
    Connected c = connected;
    if (c == null) {
      return endpoint.describe();
    }
    try {
      HostAndPort node = c.provider.getNode(slot);
      return node == null ? "slot " + slot + " (no owner known)" : node.toString();
    } catch (RuntimeException e) {
      return "slot " + slot;
    }
  }

  @Override
  public void close() {
    synchronized (connectLock) {
      closed = true;
      Connected c = connected;
      connected = null;
      if (c != null) {
        c.close();
      }
    }
  }

  /** What exists once connected. */
  static final class Connected {
    final UnifiedJedis client;
    final ClusterConnectionProvider provider;
    final JedisClientConfig config;
    final ClusterMonitor monitor;

    Connected(UnifiedJedis client, ClusterConnectionProvider provider, JedisClientConfig config,
        ClusterMonitor monitor) {
      this.client = client;
      this.provider = provider;
      this.config = config;
      this.monitor = monitor;
    }

    void close() {
      monitor.close();
      try {
        client.close(); // closes the provider and its pools too
      } finally {
        provider.close();
      }
    }
  }
}
