package dev.slotcache.internal.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a Redis Cluster: seed nodes, credentials, TLS and the bounds on every network call.
 *
 * @param seeds           {@code host:port} of one or more cluster nodes
 * @param user            ACL user, or null
 * @param password        password, or null
 * @param tls             whether to connect over TLS ({@code rediss://})
 * @param timeout         socket read timeout of every call
 * @param connectTimeout  TCP connect timeout
 * @param maxAttempts     attempts per command across redirections and reconnects
 * @param maxRetryTime    total time a command may spend retrying
 * @param poolSizePerNode connections pooled per node
 * @param clientName      {@code CLIENT SETNAME} of our connections
 */
public record ClusterEndpoint(List<String> seeds, String user, String password, boolean tls, Duration timeout,
    Duration connectTimeout, int maxAttempts, Duration maxRetryTime, int poolSizePerNode, String clientName) {

  public ClusterEndpoint {
    seeds = List.copyOf(Objects.requireNonNull(seeds, "seeds"));
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("at least one seed node is needed");
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(maxRetryTime, "maxRetryTime");
  }

  /** The seeds as text, credentials never included. */
  public String describe() {
    return (tls ? "rediss://" : "redis://") + String.join(",", seeds);
  }

  @Override
  public String toString() {
    return "ClusterEndpoint[" + describe() + (user != null ? ", user=" + user : "")
        + (password != null ? ", password=****" : "") + ", timeout=" + timeout + "]";
  }
}
