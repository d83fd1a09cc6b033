package dev.slotcache.benchmarks;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * How the reports measure: one benchmark method, with one parameter set, in a fresh fork that reaches the cluster
 * through {@code -Dbench.uri}. System properties {@code bench.warmup} / {@code bench.iterations} (default 1 / 2)
 * and {@code bench.time} (seconds per iteration; the report gives the default) apply to every run.
 */
final class ForkedThroughput {

  private ForkedThroughput() {
  }

  /** Throughput (op/s) of {@code benchmark.method} at {@code threads} threads, {@code param} set to {@code value}. */
  static double measure(String uri, Class<?> benchmark, String method, String param, String value, int threads,
      int defaultSeconds) throws RunnerException {
    int seconds = Integer.getInteger("bench.time", defaultSeconds);
    OptionsBuilder options = new OptionsBuilder();
    options.include(benchmark.getName().replace(".", "\\.") + "\\." + method + "$")
        .param(param, value)
        .forks(1)
        .threads(threads)
        .warmupIterations(Integer.getInteger("bench.warmup", 1))
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(Integer.getInteger("bench.iterations", 2))
        .measurementTime(TimeValue.seconds(seconds))
        .verbosity(VerboseMode.SILENT)
        .jvmArgsAppend("-Dbench.uri=" + uri, "-Xmx1g");
    Collection<RunResult> results = new Runner(options.build()).run();
    return results.iterator().next().getPrimaryResult().getScore();
  }
}
