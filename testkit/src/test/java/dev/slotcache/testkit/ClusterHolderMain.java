package dev.slotcache.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link OrphanTest}: starts a cluster, reports it on stdout in one line, then sleeps
 * until it is killed.
 */
public final class ClusterHolderMain {

  private ClusterHolderMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    LocalRedisCluster cluster = LocalRedisCluster.start(Integer.parseInt(args[0]));
    List<Long> ports = new ArrayList<>();
    cluster.nodes().forEach(n -> ports.add((long) n.port()));
    System.out.println("READY pids=" + join(cluster.pids()) + " watchdogs=" + join(cluster.watchdogPids())
        + " ports=" + join(ports) + " dir=" + cluster.directory());
    System.out.flush();
    Thread.sleep(300_000);
  }

  private static String join(List<Long> values) {
    return values.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("");
  }
}
