package dev.slotcache.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * How the reports measure: one benchmark method, with one parameter set, in a fresh fork that reaches the cluster
 * through {@code -Dbench.uri}. System properties {@code bench.warmup} (default 3 iterations at 1–2 threads, 8 above)
 * / {@code bench.iterations} (default 2) and {@code bench.time} (seconds per iteration; the report gives the default)
 * apply to every run; {@code bench.jvmArgs} (separated by blanks) is added to each fork's JVM options, for example
 * {@code -XX:StartFlightRecording=filename=/tmp/fork.jfr} to profile one operation.
 *
 * <p>The warm-up is long at 8 threads because the JIT needs it there: with 8 benchmark threads and 3 Redis servers on
 * 2 cores the compiler threads get little CPU. {@code getAll(100)} through the cache, in 2-s iterations: 4,100, 3,900,
 * 4,400, 6,100, 6,700, then 6,900–7,000 op/s from the 7th (12–14 s); raw Jedis' shorter code path is steady from the
 * 3rd (4–6 s). At 1 thread both are steady from the 3rd. With a single 2-s warm-up iteration the 8-thread batch rows
 * measured compilation (0.6–0.7) rather than the code.
 */
final class ForkedThroughput {

  private ForkedThroughput() {
  }

  /** Throughput (op/s) of {@code benchmark.method} at {@code threads} threads, {@code param} set to {@code value}. */
  static double measure(String uri, Class<?> benchmark, String method, String param, String value, int threads,
      int defaultSeconds, String... extraJvmArgs) throws RunnerException {
    int seconds = Integer.getInteger("bench.time", defaultSeconds);
    OptionsBuilder options = new OptionsBuilder();
    options.include(benchmark.getName().replace(".", "\\.") + "\\." + method + "$")
        .param(param, value)
        .forks(1)
        .threads(threads)
        .warmupIterations(Integer.getInteger("bench.warmup", threads > 2 ? 8 : 3))
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(Integer.getInteger("bench.iterations", 2))
        .measurementTime(TimeValue.seconds(seconds))
        .verbosity(VerboseMode.SILENT)
        .jvmArgsAppend(jvmArgs(uri, extraJvmArgs));
    Collection<RunResult> results = new Runner(options.build()).run();
    return results.iterator().next().getPrimaryResult().getScore();
  }

  /** The fork's JVM options: the cluster, the heap and {@code bench.jvmArgs}. */
  private static String[] jvmArgs(String uri, String... forThisRun) {
    List<String> args = new ArrayList<>(List.of("-Dbench.uri=" + uri, "-Xmx1g"));
    args.addAll(Arrays.asList(forThisRun));
    String extra = System.getProperty("bench.jvmArgs", "").trim();
    if (!extra.isEmpty()) {
      args.addAll(Arrays.asList(extra.split("\\s+")));
    }
    return args.toArray(String[]::new);
  }
}
