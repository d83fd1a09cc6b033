package dev.slotcache.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link NearCacheBenchmark} on a throwaway local cluster (or {@code SLOTCACHE_URI}) and prints, per value type
 * and thread count, a near-cache hit, a remote {@code get} and Caffeine's JCache {@code get} (op/s) with the ratios
 * near ÷ remote and near ÷ Caffeine, each over {@code bench.rounds} rounds (default 2; the order alternates); then the
 * hot-key run: read throughput, hit rate and the delay from a write's acknowledgement to the first read of the new
 * value in the near-cached JVM (p50 / p99).
 *
 * <p>System properties: {@code bench.threads} (default {@code 1,8}), {@code bench.types} (default
 * {@code string,object}), {@code bench.rounds}, and those of {@link ForkedThroughput}.
 */
public final class NearCacheReport {

  private NearCacheReport() {
  }

  public static void main(String[] args) throws Exception {
    try (BenchmarkCluster cluster = BenchmarkCluster.open()) {
      String uri = cluster.uri();
      int rounds = Integer.getInteger("bench.rounds", 2);
      List<String> lines = new ArrayList<>();
      for (String threadCount : System.getProperty("bench.threads", "1,8").split(",")) {
        int threads = Integer.parseInt(threadCount.trim());
        for (String type : System.getProperty("bench.types", "string,object").split(",")) {
          double[][] scores = new double[3][rounds];
          String[] methods = {"nearGet", "remoteGet", "caffeineGet"};
          for (int round = 0; round < rounds; round++) {
            for (int m = 0; m < 3; m++) {
              int which = round % 2 == 0 ? m : 2 - m;
              scores[which][round] = measure(uri, methods[which], type, threads);
            }
            System.out.printf(Locale.ROOT, "%-6s %d threads, round %d: near %.0f, remote %.0f, caffeine %.0f op/s%n",
                type, threads, round + 1, scores[0][round], scores[1][round], scores[2][round]);
          }
          lines.add(String.format(Locale.ROOT, "%-8s %7d %14.0f %14.0f %14.0f %13s %14s", type, threads,
              mean(scores[0]), mean(scores[1]), mean(scores[2]), range(scores[0], scores[1]),
              range(scores[0], scores[2])));
        }
      }
      Path hotOut = Files.createTempFile("slotcache-hotkeys", ".txt");
      double hotReads = ForkedThroughput.measure(uri, NearCacheBenchmark.class, "hotKeys", "valueType", "string", 9,
          2, "-Dbench.hotkeys.out=" + hotOut);
      List<String> hot = Files.readAllLines(hotOut);
      Files.deleteIfExists(hotOut);

      System.out.println();
      System.out.println("Near cache, same cluster, same run (Redis " + cluster.description() + ", 3 masters)");
      System.out.printf(Locale.ROOT, "%-8s %7s %14s %14s %14s %13s %14s%n", "value", "threads", "near op/s",
          "remote op/s", "caffeine op/s", "near÷remote", "near÷caffeine");
      lines.forEach(System.out::println);
      System.out.println();
      System.out.printf(Locale.ROOT, "hot keys (8 readers on 10 keys through a near cache, 1 writer elsewhere): "
          + "%.0f op/s in all; per measured iteration: %s%n", hotReads, String.join("; ", hot));
    }
  }

  private static double measure(String uri, String method, String type, int threads) throws RunnerException {
    return ForkedThroughput.measure(uri, NearCacheBenchmark.class, method, "valueType", type, threads, 2);
  }

  private static double mean(double[] values) {
    return java.util.Arrays.stream(values).average().orElse(Double.NaN);
  }

  /** "mean (low-high)" of the per-round ratios {@code a[i] / b[i]}. */
  private static String range(double[] a, double[] b) {
    double low = Double.MAX_VALUE;
    double high = 0;
    for (int i = 0; i < a.length; i++) {
      low = Math.min(low, a[i] / b[i]);
      high = Math.max(high, a[i] / b[i]);
    }
    return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", mean(a) / mean(b), low, high);
  }
}
