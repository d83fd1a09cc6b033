package dev.slotcache.internal.store;

import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/**
 * The one place where Jedis' exceptions are caught. Every other class of the store runs its Jedis calls through
 * these methods and says what a failure becomes: a {@link StoreException} with its message ({@link #call}), or a
 * value to go on with ({@link #attempt}, {@link #failureOf}). No Jedis exception type leaves the store. Stateless.
 */
final class RedisCalls {

  private RedisCalls() {
  }

  /** A call's value, or the Jedis failure that stopped it. */
  record Result<T>(T value, JedisException failure) {
    boolean failed() {
      return failure != null;
    }
  }

  /** Runs {@code work}; a Jedis failure leaves as what {@code translation} makes of it. */
  static <T> T call(Supplier<T> work, Function<? super JedisException, ? extends RuntimeException> translation) {
    try {
      return work.get();
    } catch (JedisException e) {
      throw translation.apply(e);
    }
  }

  /** Runs {@code work} and returns its value or its Jedis failure; other exceptions pass. */
  static <T> Result<T> attempt(Supplier<T> work) {
    try {
      return new Result<>(work.get(), null);
    } catch (JedisException e) {
      return new Result<>(null, e);
    }
  }

  /** Runs {@code work} and returns its Jedis failure, or null when it succeeded; other exceptions pass. */
  static JedisException failureOf(Runnable work) {
    try {
      work.run();
      return null;
    } catch (JedisException e) {
      return e;
    }
  }

  /**
   * The failure of one store operation: "cache 'c': get on host:port failed: JedisConnectionException: …". Its
   * outcome is unknown when a connection broke after a command may have been sent (not when it was refused).
   */
  static StoreException failure(String cacheName, String operation, String node, Exception e) {
    return new StoreException("cache '" + cacheName + "': " + operation + " on " + node + " failed: "
        + e.getClass().getSimpleName() + ": " + e.getMessage(), e, outcomeUnknown(e));
  }

  /**
   * Whether a failed command may nevertheless have been applied: some connection in the chain of causes and
   * suppressed exceptions (Jedis' retries keep theirs there) broke other than by refusing to connect.
   */
  static boolean outcomeUnknown(Throwable failure) {
    Deque<Throwable> pending = new ArrayDeque<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    pending.add(failure);
    while (!pending.isEmpty()) {
      Throwable t = pending.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (t instanceof JedisConnectionException && !(t.getCause() instanceof ConnectException)
          && !String.valueOf(t.getMessage()).startsWith("Failed to connect")
          && !String.valueOf(t.getMessage()).startsWith("Could not get a resource")) {
        return true;
      }
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
      Collections.addAll(pending, t.getSuppressed());
    }
    return false;
  }

  /** {@code EVALSHA}, and the whole script after {@code NOSCRIPT} (scripts vanish on failover and restart). */
  static Object evalsha(UnifiedJedis client, Script script, List<byte[]> keys, List<byte[]> args) {
    try {
      return client.evalsha(script.sha, keys, args);
    } catch (JedisNoScriptException e) {
      return client.eval(script.source, keys, args);
    }
  }

  /**
   * Renews the slot map after a redirection or a broken connection, so that the next attempt goes to the slot's
   * current owner. A failure to renew is not reported: the operation's own failure already is.
   */
  static void renewQuietly(ClusterConnectionProvider provider) {
    failureOf(provider::renewSlotCache);
  }

  /**
   * Returns a connection to its pool. Returning a broken one makes the pool open a replacement, which fails
   * while its node is down ("Could not return the broken resource"): the broken connection is gone either way,
   * so that is no failure of the operation.
   */
  static void release(Connection connection) {
    if (connection != null) {
      failureOf(connection::close);
    }
  }

  /**
   * EXECABORT says only that a transaction was discarded; the queued command's error says why (MOVED,
   * CLUSTERDOWN or READONLY during a failover, OOM, ...). Nothing was applied either way.
   */
  static JedisException reasonOfAbort(Response<?> queued, JedisException abort) {
    try {
      queued.get();
    } catch (JedisException queuedError) {
      return queuedError;
    } catch (RuntimeException notAnError) {
      // The command was queued ("QUEUED" does not build as its reply type): the abort itself is the reason.
    }
    return abort;
  }
}
