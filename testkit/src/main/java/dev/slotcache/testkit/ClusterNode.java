package dev.slotcache.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One line of {@code CLUSTER NODES}, as far as the test kit needs it. */
record ClusterNode(String id, String host, int port, Set<String> flags, String masterId, boolean connected,
    int slots, int firstSlot) {

  static List<ClusterNode> parseAll(String clusterNodes) {
    List<ClusterNode> nodes = new ArrayList<>();
    for (String line : clusterNodes.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(parse(line.strip()));
      }
    }
    return nodes;
  }

  /** {@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot> ...}. */
  static ClusterNode parse(String line) {
    String[] f = line.split(" ");
    if (f.length < 8) {
      throw new IllegalArgumentException("unexpected CLUSTER NODES line: " + line);
    }
    String address = f[1];
    int cut = address.indexOf(',');
    address = cut < 0 ? address : address.substring(0, cut);
    cut = address.indexOf('@');
    address = cut < 0 ? address : address.substring(0, cut);
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    int slots = 0;
    int firstSlot = Integer.MAX_VALUE;
    for (int i = 8; i < f.length; i++) {
      if (f[i].startsWith("[")) {
        continue; // a slot being migrated or imported, owned by the node that lists it without brackets
      }
      int dash = f[i].indexOf('-');
      int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1));
      slots += to - from + 1;
      firstSlot = Math.min(firstSlot, from);
    }
    return new ClusterNode(f[0], host, port, Set.of(f[2].split(",")), f[3], "connected".equals(f[7]), slots,
        firstSlot);
  }

  boolean isMaster() {
    return flags.contains("master");
  }

  boolean isMyself() {
    return flags.contains("myself");
  }

  /** Failing, unreachable or not yet through the handshake. */
  boolean isUnhealthy() {
    return flags.contains("fail") || flags.contains("fail?") || flags.contains("handshake")
        || flags.contains("noaddr");
  }
}
