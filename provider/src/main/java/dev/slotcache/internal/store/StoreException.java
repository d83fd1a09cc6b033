package dev.slotcache.internal.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.cache.CacheException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/** A Redis operation failed: unreachable node, timeout, cluster down. The message names cache and node. */
public class StoreException extends CacheException {

  private static final long serialVersionUID = 1L;

  private final boolean outcomeUnknown;

  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param outcomeUnknown the command may have been applied although no reply arrived (a timeout or dropped
   *                       connection after sending), so a caller that must not apply a write twice checks
   */
  public StoreException(String message, Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  /** Whether the failed command may nevertheless have been applied. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  public StoreException(String message) {
    this(message, null, false);
  }

  /**
   * Whether the failure is a passing state of the cluster that a retry within the retry budget may overcome:
   * a dropped or refused connection, a timeout, a moved slot, {@code CLUSTERDOWN} or {@code TRYAGAIN} during a
   * failover or resharding, a replica that was a master ({@code READONLY}), a node still loading its data.
   */
  public boolean isTransient() {
    boolean passing = false;
    java.util.Deque<Throwable> pending = new java.util.ArrayDeque<>();
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    if (getCause() != null) {
      pending.add(getCause());
    }
    while (!pending.isEmpty()) {
      Throwable t = pending.pop();
      if (!seen.add(t)) {
        continue;
      }
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof JedisAccessControlException || t instanceof UnknownHostException || t instanceof SSLException
          || message.startsWith("NOAUTH") || message.startsWith("WRONGPASS") || message.startsWith("NOPERM")
          || message.contains("cluster support disabled")) {
        return false; // waiting does not fix a wrong password, a missing host or a node without cluster mode
      }
      if (t instanceof JedisConnectionException || t instanceof JedisRedirectionException
          || t instanceof JedisClusterOperationException || t instanceof SocketTimeoutException
          || t instanceof ConnectException) {
        passing = true;
      } else if (t instanceof JedisDataException) {
        for (String prefix : TRANSIENT_REPLIES) {
          passing |= message.startsWith(prefix);
        }
      }
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
      java.util.Collections.addAll(pending, t.getSuppressed());
    }
    return passing;
  }

  private static final String[] TRANSIENT_REPLIES = {"CLUSTERDOWN", "TRYAGAIN", "MOVED", "ASK", "READONLY",
      "LOADING", "MASTERDOWN"};
}
