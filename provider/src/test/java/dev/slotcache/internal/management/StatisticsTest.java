package dev.slotcache.internal.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slotcache.ClusterTest;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.MutableEntry;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What each operation counts, read from the cache's statistics MXBean: a hit or a miss per key it looks at, a put
 * per entry it stores, a removal per entry it removes. Each case runs on a cache of its own holding {@code a=1} and
 * {@code b=1}, from zero.
 */
class StatisticsTest extends ClusterTest {

  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  private int caches;

  @TestFactory
  List<DynamicTest> eachOperation_countsExactlyWhatItDid() {
    return List.of(
        counts("get: a hit, a miss", 1, 1, 0, 0, c -> c.get("a"), c -> c.get("x")),
        counts("getAll: a hit or a miss per key", 2, 1, 0, 0, c -> c.getAll(Set.of("a", "b", "x"))),
        counts("containsKey: nothing", 0, 0, 0, 0, c -> c.containsKey("a"), c -> c.containsKey("x")),
        counts("put and putAll: a put per entry", 0, 0, 5, 0, c -> c.put("a", "2"), c -> c.put("x", "1"),
            c -> c.putAll(Map.of("y", "1", "z", "1", "w", "1"))),
        counts("getAndPut: the read and the put", 1, 1, 2, 0, c -> c.getAndPut("a", "2"),
            c -> c.getAndPut("x", "1")),
        counts("putIfAbsent: a hit, or a miss and a put", 1, 1, 1, 0, c -> c.putIfAbsent("a", "2"),
            c -> c.putIfAbsent("x", "1")),
        counts("remove: a removal of a present entry, else nothing", 0, 0, 0, 1, c -> c.remove("a"),
            c -> c.remove("x")),
        counts("remove(key, value): a hit or a miss, and the removal", 2, 1, 0, 1, c -> c.remove("a", "1"),
            c -> c.remove("b", "other"), c -> c.remove("x", "1")),
        counts("getAndRemove: the read and the removal", 1, 1, 0, 1, c -> c.getAndRemove("a"),
            c -> c.getAndRemove("x")),
        counts("replace and getAndReplace: a hit and a put, or a miss", 2, 2, 2, 0, c -> c.replace("a", "2"),
            c -> c.getAndReplace("b", "2"), c -> c.replace("x", "2"), c -> c.getAndReplace("y", "2")),
        counts("replace(key, old, new): a hit or a miss, and the put", 2, 1, 1, 0, c -> c.replace("a", "1", "2"),
            c -> c.replace("b", "other", "2"), c -> c.replace("x", "1", "2")),
        counts("removeAll(keys): a removal per present entry", 0, 0, 0, 2,
            c -> c.removeAll(Set.of("a", "b", "x"))),
        counts("removeAll(): a removal per entry", 0, 0, 0, 2, Cache::removeAll),
        counts("clear: nothing", 0, 0, 0, 0, Cache::clear),
        counts("invoke: a hit or a miss, and what the processor did", 2, 2, 2, 1,
            c -> c.invoke("a", StatisticsTest::setOne), c -> c.invoke("b", StatisticsTest::remove),
            c -> c.invoke("x", StatisticsTest::setOne), c -> c.invoke("y", StatisticsTest::read)));
  }

  @Test
  void statisticsClear_startsFromZero() throws JMException {
    Cache<String, String> cache = countedCache();
    cache.get("a");
    cache.get("x");
    assertCounts(cache, 1, 1, 0, 0);
    SERVER.invoke(statistics(cache), "clear", null, null);
    assertCounts(cache, 0, 0, 0, 0);
    assertEquals(0L, SERVER.getAttribute(statistics(cache), "CacheGets"));
  }

  @SafeVarargs
  private DynamicTest counts(String operations, long hits, long misses, long puts, long removals,
      Consumer<Cache<String, String>>... steps) {
    return DynamicTest.dynamicTest(operations, () -> {
      Cache<String, String> cache = countedCache();
      for (Consumer<Cache<String, String>> step : steps) {
        step.accept(cache);
      }
      assertCounts(cache, hits, misses, puts, removals);
    });
  }

  /** A new cache with statistics, holding {@code a=1} and {@code b=1}, its statistics at zero. */
  private Cache<String, String> countedCache() throws JMException {
    Cache<String, String> cache = manager.createCache("counted-" + ++caches, new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setStatisticsEnabled(true));
    cache.putAll(Map.of("a", "1", "b", "1"));
    SERVER.invoke(statistics(cache), "clear", null, null);
    assertCounts(cache, 0, 0, 0, 0);
    return cache;
  }

  private static ObjectName statistics(Cache<?, ?> cache) {
    return MBeans.name(MBeans.Kind.CacheStatistics, cache.getCacheManager().getURI(), cache.getName());
  }

  private static void assertCounts(Cache<?, ?> cache, long hits, long misses, long puts, long removals)
      throws JMException {
    ObjectName name = statistics(cache);
    assertEquals(List.of(hits, misses, puts, removals), List.of(SERVER.getAttribute(name, "CacheHits"),
        SERVER.getAttribute(name, "CacheMisses"), SERVER.getAttribute(name, "CachePuts"),
        SERVER.getAttribute(name, "CacheRemovals")), "hits, misses, puts, removals");
  }

  private static Void setOne(MutableEntry<String, String> entry, Object... arguments) {
    entry.setValue("1");
    return null;
  }

  private static Void remove(MutableEntry<String, String> entry, Object... arguments) {
    entry.remove();
    return null;
  }

  private static String read(MutableEntry<String, String> entry, Object... arguments) {
    return entry.getValue();
  }
}
