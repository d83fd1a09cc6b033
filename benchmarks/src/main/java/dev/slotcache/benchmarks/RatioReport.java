package dev.slotcache.benchmarks;

import dev.slotcache.testkit.LocalRedisCluster;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ClusterBenchmark} at 1 and 8 threads against one cluster (a throwaway local one, or
 * {@code SLOTCACHE_URI}) and prints, per operation and value size, Slotcache's throughput divided by raw
 * Jedis' throughput measured in the same run.
 *
 * <p>System properties: {@code bench.include} (regex of operations, default all), {@code bench.threads}
 * (default {@code 1,8}), {@code bench.warmup} / {@code bench.iterations} (counts, default 2 / 3),
 * {@code bench.time} (seconds per iteration, default 2).
 */
public final class RatioReport {

  private static final String[] OPERATIONS = {"get", "put", "containsKey", "remove", "getAll100", "putAll100", "invoke"};

  private RatioReport() {
  }

  public static void main(String[] args) throws RunnerException {
    String external = System.getenv("SLOTCACHE_URI");
    LocalRedisCluster local = null;
    String uri;
    if (external != null && !external.isBlank()) {
      uri = external.replaceAll("/[^/]*$", "").replaceAll("\\?.*$", "");
    } else {
      local = LocalRedisCluster.start(3);
      uri = local.uri();
    }
    try {
      String include = System.getProperty("bench.include", String.join("|", OPERATIONS));
      List<Row> rows = new ArrayList<>();
      for (String threadCount : System.getProperty("bench.threads", "1,8").split(",")) {
        int threads = Integer.parseInt(threadCount.trim());
        ChainedOptionsBuilder options = new OptionsBuilder()
            .include(ClusterBenchmark.class.getName().replace(".", "\\.") + "\\.(" + withRaw(include) + ")$")
            .forks(1)
            .threads(threads)
            .warmupIterations(Integer.getInteger("bench.warmup", 2))
            .warmupTime(TimeValue.seconds(Integer.getInteger("bench.time", 2)))
            .measurementIterations(Integer.getInteger("bench.iterations", 3))
            .measurementTime(TimeValue.seconds(Integer.getInteger("bench.time", 2)))
            .jvmArgsAppend("-Dbench.uri=" + uri, "-Xmx1g");
        Collection<RunResult> results = new Runner(options.build()).run();
        rows.addAll(ratios(results, threads));
      }
      print(rows, local != null ? local.redisVersion() : "external");
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }

  /** {@code get|put} becomes {@code get|rawGet|put|rawPut}. */
  private static String withRaw(String include) {
    List<String> names = new ArrayList<>();
    for (String operation : include.split("\\|")) {
      names.add(operation);
      names.add(rawName(operation));
    }
    return String.join("|", names);
  }

  private static String rawName(String operation) {
    return "raw" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1);
  }

  record Row(String operation, int valueSize, int threads, double ours, double raw) {
    double ratio() {
      return ours / raw;
    }
  }

  private static List<Row> ratios(Collection<RunResult> results, int threads) {
    Map<String, Double> scores = new TreeMap<>();
    for (RunResult result : results) {
      String method = result.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      String size = result.getParams().getParam("valueSize");
      scores.put(method + "/" + size, result.getPrimaryResult().getScore());
    }
    List<Row> rows = new ArrayList<>();
    for (String operation : OPERATIONS) {
      for (String size : new String[] {"100", "10240"}) {
        Double ours = scores.get(operation + "/" + size);
        Double raw = scores.get(rawName(operation) + "/" + size);
        if (ours != null && raw != null) {
          rows.add(new Row(operation, Integer.parseInt(size), threads, ours, raw));
        }
      }
    }
    return rows;
  }

  private static void print(List<Row> rows, String redisVersion) {
    System.out.println();
    System.out.println("Slotcache ÷ raw Jedis, same cluster, same run (Redis " + redisVersion + ", 3 masters)");
    System.out.printf(Locale.ROOT, "%-12s %8s %8s %14s %14s %7s%n", "operation", "value", "threads",
        "slotcache op/s", "raw op/s", "ratio");
    for (Row row : rows) {
      System.out.printf(Locale.ROOT, "%-12s %8s %8d %14.0f %14.0f %7.2f%n", row.operation(),
          row.valueSize() == 100 ? "100 B" : "10 KB", row.threads(), row.ours(), row.raw(), row.ratio());
    }
  }
}
