package dev.slotcache.benchmarks;

import dev.slotcache.testkit.LocalRedisCluster;

/**
 * The cluster a report measures on: the one in {@code SLOTCACHE_URI} (its seeds; namespace and options dropped),
 * else a throwaway local 3-master cluster, stopped by {@link #close()}.
 */
final class BenchmarkCluster implements AutoCloseable {

  private final LocalRedisCluster local;
  private final String uri;

  private BenchmarkCluster(LocalRedisCluster local, String uri) {
    this.local = local;
    this.uri = uri;
  }

  static BenchmarkCluster open() {
    String external = System.getenv("SLOTCACHE_URI");
    if (external != null && !external.isBlank()) {
      return new BenchmarkCluster(null, external.replaceAll("/[^/]*$", "").replaceAll("\\?.*$", ""));
    }
    LocalRedisCluster local = LocalRedisCluster.start(3);
    return new BenchmarkCluster(local, local.uri());
  }

  /** {@code redis://host:port,…} without a namespace. */
  String uri() {
    return uri;
  }

  /** The Redis version of a local cluster, or "external". */
  String description() {
    return local != null ? local.redisVersion() : "external";
  }

  boolean isLocal() {
    return local != null;
  }

  @Override
  public void close() {
    if (local != null) {
      local.close();
    }
  }
}
