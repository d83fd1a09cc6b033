package dev.slotcache.internal.store;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import redis.clients.jedis.exceptions.JedisAccessControlException;

/**
 * Says in words why connecting to a cluster failed. Jedis reports every cause as "Could not initialize cluster
 * slots cache." and keeps the real one (of the first seed it tried) as a suppressed exception, possibly wrapped
 * again: this walks causes and suppressed exceptions and names the first cause it recognises. Never repeats a
 * password: it only quotes the user name, host names and Redis' own error texts (which carry no password).
 */
final class ConnectFailure {

  private static final Pattern FAILED_TO_CONNECT = Pattern.compile("Failed to connect to (\\S+?)\\.?$");

  private ConnectFailure() {
  }

  /** Why connecting to the seeds failed, for a message that already names the cluster. */
  static String explain(ClusterEndpoint endpoint, Throwable failure) {
    return explain(endpoint, endpoint.seeds().size() == 1 ? endpoint.seeds().get(0) : null, failure);
  }

  /** Why a call to {@code node} (host:port, or null when not known) failed. */
  static String explain(ClusterEndpoint endpoint, String node, Throwable failure) {
    List<Throwable> all = flatten(failure);
    String user = endpoint.user() != null ? endpoint.user() : "default";
    for (Throwable t : all) {
      String text = String.valueOf(t.getMessage());
      if (text.startsWith("NOAUTH")) {
        return "authentication failed for user '" + user + "': the cluster requires a password and none was given "
            + "(set slotcache.password, or give redis://user:password@… in the URI)";
      }
      if (t instanceof JedisAccessControlException || text.startsWith("WRONGPASS")
          || text.contains("invalid password") || text.contains("called without any password configured")) {
        return "authentication failed for user '" + user + "' (the password does not match, or the user is unknown "
            + "or disabled; check slotcache.user / slotcache.password or the URI's user info)";
      }
      if (text.startsWith("NOPERM")) {
        return "user '" + user + "' may not run what Slotcache needs (" + text + "); grant it at least +@all "
            + "on ~* and &*, or the commands named";
      }
    }
    for (Throwable t : all) {
      if (String.valueOf(t.getMessage()).contains("cluster support disabled")) {
        return (node != null ? "the node at " + node : "a seed node") + " is not in cluster mode (cluster-enabled "
            + "no): Slotcache needs a Redis Cluster, a stand-alone Redis is not enough";
      }
    }
    for (Throwable t : all) {
      if (t instanceof UnknownHostException) {
        String text = String.valueOf(t.getMessage());
        int colon = text.indexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : text;
        return "unknown host '" + host + "' (the name does not resolve; check the seed nodes in the URI)";
      }
    }
    for (Throwable t : all) {
      if (t instanceof ConnectException) {
        String where = connectTarget(all, node);
        String text = String.valueOf(t.getMessage());
        return text.toLowerCase(java.util.Locale.ROOT).contains("refused")
            ? "connection refused on " + where + " (is a node running there?)"
            : "cannot connect to " + where + ": " + text;
      }
    }
    String where = node != null ? node : "the seed nodes";
    for (Throwable t : all) {
      if (t instanceof SSLException || endpoint.tls() && inTlsHandshake(t)) {
        String detail = t instanceof SSLException ? ": " + t.getMessage() : "";
        return "TLS handshake with " + where + " failed" + detail + " (does the node speak TLS on that port? "
            + "rediss:// needs a TLS port and a certificate the JVM trusts; use redis:// for a plain one)";
      }
    }
    for (Throwable t : all) {
      if (t instanceof SocketTimeoutException) {
        String text = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return text.contains("connect")
            ? "no TCP connection to " + connectTarget(all, node) + " within " + endpoint.connectTimeout().toMillis()
                + " ms (slotcache.connect-timeout; is a firewall dropping packets?)"
            : "no answer from " + where + " within " + endpoint.timeout().toMillis()
                + " ms (slotcache.timeout; is the node overloaded or paused?)";
      }
    }
    Throwable root = all.size() > 1 ? all.get(1) : failure;
    return root.getClass().getSimpleName() + ": " + root.getMessage()
        + " (check slotcache.uri / SLOTCACHE_URI and that the nodes run in cluster mode)";
  }

  /** The host:port Jedis names in "Failed to connect to host:port.", else the only seed, else "the seed nodes". */
  private static String connectTarget(List<Throwable> all, String node) {
    for (Throwable t : all) {
      Matcher m = FAILED_TO_CONNECT.matcher(String.valueOf(t.getMessage()));
      if (m.find()) {
        return m.group(1);
      }
    }
    return node != null ? node : "the seed nodes";
  }

  /** Whether {@code t} was thrown inside the JDK's TLS handshake (a plain server makes it time out or hang up). */
  private static boolean inTlsHandshake(Throwable t) {
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().startsWith("sun.security.ssl.") && frame.getMethodName().contains("andshake")) {
        return true;
      }
    }
    return false;
  }

  /** {@code failure}, then its suppressed exceptions and causes, depth first, each once. */
  private static List<Throwable> flatten(Throwable failure) {
    List<Throwable> all = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> stack = new ArrayList<>();
    stack.add(failure);
    while (!stack.isEmpty()) {
      Throwable t = stack.remove(stack.size() - 1);
      if (t == null || !seen.add(t)) {
        continue;
      }
      all.add(t);
      if (t.getCause() != null) {
        stack.add(t.getCause());
      }
      Throwable[] suppressed = t.getSuppressed();
      for (int i = suppressed.length - 1; i >= 0; i--) {
        stack.add(suppressed[i]);
      }
    }
    return all;
  }
}
