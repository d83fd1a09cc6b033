package dev.slotcache.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link ClusterBenchmark} at 1 and 8 threads against one cluster (a throwaway local one, or
 * {@code SLOTCACHE_URI}) and prints, per operation and value size, Slotcache's throughput divided by raw
 * Jedis' throughput measured in the same run.
 *
 * <p>Each pair runs in alternating order over {@code bench.rounds} rounds (each run a fresh fork), so that the
 * drift of a busy machine favours neither side; the ratio is of the mean throughputs, with the spread of
 * the rounds.
 *
 * <p>An operation {@code op} is compared with {@code rawOp}; {@code op:base} compares the same {@code op} with
 * another baseline, {@code baseOp} (for example {@code getAll100:clusterPipeline}, Jedis' {@code ClusterPipeline}
 * instead of the hand-written per-master pipelines of {@code rawGetAll100}).
 *
 * <p>System properties: {@code bench.include} (operations separated by {@code |}, default all),
 * {@code bench.threads} (default {@code 1,8}), {@code bench.sizes} (default {@code 100,10240}),
 * {@code bench.rounds} (default 2), {@code bench.warmup} / {@code bench.iterations} (see {@link ForkedThroughput}),
 * {@code bench.time} (seconds per iteration, default 2).
 */
public final class RatioReport {

  private static final String[] OPERATIONS = {"get", "put", "containsKey", "remove", "getAll100", "putAll100",
      "removeAll100", "invoke", "getAll100:clusterPipeline", "putAll100:clusterPipeline", "loadMiss",
      "loadMiss:uncoordinated"};

  private RatioReport() {
  }

  public static void main(String[] args) throws RunnerException {
    try (BenchmarkCluster cluster = BenchmarkCluster.open()) {
      String uri = cluster.uri();
      String[] operations = System.getProperty("bench.include", String.join("|", OPERATIONS)).split("\\|");
      int rounds = Integer.getInteger("bench.rounds", 2);
      List<Row> rows = new ArrayList<>();
      for (String threadCount : System.getProperty("bench.threads", "1,8").split(",")) {
        int threads = Integer.parseInt(threadCount.trim());
        for (String operation : operations) {
          for (String size : System.getProperty("bench.sizes", "100,10240").split(",")) {
            double[] ours = new double[rounds];
            double[] raw = new double[rounds];
            for (int round = 0; round < rounds; round++) {
              // Alternate the order so that drift of the machine over time favours neither side.
              if (round % 2 == 0) {
                ours[round] = score(uri, oursName(operation), size, threads);
                raw[round] = score(uri, rawName(operation), size, threads);
              } else {
                raw[round] = score(uri, rawName(operation), size, threads);
                ours[round] = score(uri, oursName(operation), size, threads);
              }
              System.out.printf(Locale.ROOT, "%-26s %6s B %2d threads, round %d: %.0f vs %.0f op/s (%.2f)%n",
                  operation, size, threads, round + 1, ours[round], raw[round], ours[round] / raw[round]);
            }
            rows.add(new Row(operation, Integer.parseInt(size), threads, ours, raw));
          }
        }
      }
      print(rows, cluster.description());
    }
  }

  /** Throughput (op/s) of one benchmark method in a fresh fork. */
  private static double score(String uri, String method, String size, int threads) throws RunnerException {
    return ForkedThroughput.measure(uri, ClusterBenchmark.class, method, "valueSize", size, threads, 2);
  }

  private static String oursName(String operation) {
    int colon = operation.indexOf(':');
    return colon < 0 ? operation : operation.substring(0, colon);
  }

  /** {@code rawOp}, or for {@code op:base} {@code baseOp}. */
  private static String rawName(String operation) {
    String ours = oursName(operation);
    String prefix = ours.equals(operation) ? "raw" : operation.substring(ours.length() + 1);
    return prefix + Character.toUpperCase(ours.charAt(0)) + ours.substring(1);
  }

  /** Scores of both sides over the rounds; the ratio is of the means, with the spread of the rounds. */
  record Row(String operation, int valueSize, int threads, double[] ours, double[] raw) {
    double mean(double[] values) {
      return java.util.Arrays.stream(values).average().orElse(Double.NaN);
    }

    double ratio() {
      return mean(ours) / mean(raw);
    }

    double lowest() {
      double low = Double.MAX_VALUE;
      for (int i = 0; i < ours.length; i++) {
        low = Math.min(low, ours[i] / raw[i]);
      }
      return low;
    }

    double highest() {
      double high = 0;
      for (int i = 0; i < ours.length; i++) {
        high = Math.max(high, ours[i] / raw[i]);
      }
      return high;
    }
  }

  private static void print(List<Row> rows, String redisVersion) {
    System.out.println();
    System.out.println("Slotcache ÷ raw Jedis, same cluster, same run (Redis " + redisVersion + ", 3 masters)");
    System.out.printf(Locale.ROOT, "%-26s %8s %8s %14s %14s %7s %13s%n", "operation", "value", "threads",
        "slotcache op/s", "raw op/s", "ratio", "rounds");
    for (Row row : rows) {
      System.out.printf(Locale.ROOT, "%-26s %8s %8d %14.0f %14.0f %7.2f %6.2f-%.2f%n", row.operation(),
          row.valueSize() == 100 ? "100 B" : row.valueSize() == 10240 ? "10 KB" : row.valueSize() + " B",
          row.threads(), row.mean(row.ours()), row.mean(row.raw()), row.ratio(), row.lowest(), row.highest());
    }
  }
}
