package dev.slotcache.benchmarks;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.management.ObjectName;

/**
 * The heap a near cache costs per entry: fills a near cache with {@code bench.entries} (default 100,000) entries of
 * String keys ("key-123456") and values — a 100-character String (held as is) and a 100-byte array (held as its
 * record) — and prints the growth of the used heap after full collections, divided by the entries held.
 */
public final class NearCacheFootprint {

  private NearCacheFootprint() {
  }

  public static void main(String[] args) throws Exception {
    int entries = Integer.getInteger("bench.entries", 100_000);
    try (BenchmarkCluster cluster = BenchmarkCluster.open()) {
      for (String kind : List.of("string", "bytes")) {
        URI uri = URI.create(cluster.uri() + "/footprint-" + kind);
        Properties near = new Properties();
        near.setProperty("slotcache.near-cache.max-entries", Integer.toString(entries));
        CacheManager manager = new dev.slotcache.spi.SlotcacheCachingProvider().getCacheManager(uri,
            NearCacheFootprint.class.getClassLoader(), near);
        try {
          Cache<String, Object> cache = manager.createCache("footprint",
              new javax.cache.configuration.MutableConfiguration<String, Object>());
          Map<String, Object> batch = new HashMap<>();
          for (int i = 0; i < entries; i++) {
            batch.put("key-" + i, kind.equals("string") ? "v".repeat(90) + i : new byte[100]);
            if (batch.size() == 1_000) {
              cache.putAll(batch);
              batch.clear();
            }
          }
          cache.putAll(batch);
          Thread.sleep(500);
          long before = usedAfterGc();
          for (int i = 0; i < entries; i += 100) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (int j = i; j < Math.min(entries, i + 100); j++) {
              keys.add("key-" + j);
            }
            cache.getAll(keys);
          }
          long after = usedAfterGc();
          ObjectName bean = dev.slotcache.internal.management.MBeans.name(
              dev.slotcache.internal.management.MBeans.Kind.NearCache, uri, "footprint");
          long held = (Long) java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(bean, "Size");
          System.out.printf(Locale.ROOT, "%-6s values: %d entries held, %.0f bytes of heap per entry%n", kind, held,
              (after - before) / (double) held);
          cache.clear();
        } finally {
          manager.close();
        }
      }
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
