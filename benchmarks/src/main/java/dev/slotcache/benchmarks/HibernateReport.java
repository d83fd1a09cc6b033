package dev.slotcache.benchmarks;

import java.util.Locale;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link HibernateBenchmark} without a second-level cache and with Slotcache, on one cluster (a throwaway
 * local one, or {@code SLOTCACHE_URI}), and prints both throughputs and their ratio.
 *
 * <p>System properties: {@code bench.threads} (default {@code 1,4}), {@code bench.warmup} /
 * {@code bench.iterations} (see {@code ForkedThroughput}), {@code bench.time} (seconds per iteration, default 3).
 */
public final class HibernateReport {

  private HibernateReport() {
  }

  public static void main(String[] args) throws RunnerException {
    try (BenchmarkCluster cluster = BenchmarkCluster.open()) {
      String uri = cluster.uri();
      System.out.printf(Locale.ROOT, "%-8s %18s %18s %7s%n", "threads", "no cache op/s", "slotcache op/s", "ratio");
      for (String threadCount : System.getProperty("bench.threads", "1,4").split(",")) {
        int threads = Integer.parseInt(threadCount.trim());
        double none = score(uri, "none", threads);
        double slotcache = score(uri, "slotcache", threads);
        System.out.printf(Locale.ROOT, "%-8d %18.0f %18.0f %7.2f%n", threads, none, slotcache, slotcache / none);
      }
      System.out.println("Entity lookup by id in a fresh session; H2 in server mode over TCP on loopback; "
          + "Redis " + cluster.description() + (cluster.isLocal() ? ", 3 local masters" : ""));
    }
  }

  private static double score(String uri, String cache, int threads) throws RunnerException {
    return ForkedThroughput.measure(uri, HibernateBenchmark.class, "findById", "cache", cache, threads, 3);
  }
}
