package dev.slotcache.internal.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CacheStatisticsTest {

  @Test
  void getCacheEvictions_isZero_andTheReadmeSaysWhereRedisCountsEvictions() throws IOException {
    CacheStatistics statistics = new CacheStatistics();
    statistics.setEnabled(true);
    statistics.hits(3);
    statistics.misses(2);
    statistics.puts(4);
    statistics.removals(1);
    assertEquals(0, statistics.getCacheEvictions());
    assertEquals(5, statistics.getCacheGets());

    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains("`getCacheEvictions()` is always 0") && readme.contains("evicted_keys"),
        "README.md must say that getCacheEvictions() is 0 and where Redis counts evictions");
  }
}
