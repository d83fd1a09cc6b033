package dev.slotcache.internal.management;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slotcache.ClusterTest;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.configuration.MutableConfiguration;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each operation counts, read from the cache's statistics MXBean: a hit or a miss per key looked at, a put per
 * entry stored, a removal per entry removed; {@code Cache.clear()} counts nothing, {@code CacheStatistics.clear()}
 * starts from zero. Each test starts from zero, after its entries are in place.
 */
class StatisticsTest extends ClusterTest {

  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  private Cache<String, String> cache;
  private ObjectName statistics;

  @BeforeEach
  void createCache() {
    cache = manager.createCache("counted", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setStatisticsEnabled(true));
    statistics = MBeans.name(MBeans.Kind.CacheStatistics, manager.getURI(), "counted");
  }

  @Test
  void get_countsAHitOrAMiss() throws JMException {
    given("a");
    cache.get("a");
    cache.get("b");
    assertCounts(1, 1, 0, 0);
  }

  @Test
  void getAll_countsOneHitOrMissPerKey() throws JMException {
    given("a", "b");
    assertEquals(Map.of("a", "1", "b", "1"), cache.getAll(new LinkedHashSet<>(List.of("a", "b", "c"))));
    assertCounts(2, 1, 0, 0);
  }

  @Test
  void containsKey_countsNothing() throws JMException {
    given("a");
    cache.containsKey("a");
    cache.containsKey("b");
    assertCounts(0, 0, 0, 0);
  }

  @Test
  void put_andPutAll_countAPutPerEntry() throws JMException {
    given("a");
    cache.put("a", "2");
    cache.put("b", "1");
    cache.putAll(Map.of("c", "1", "d", "1", "e", "1"));
    assertCounts(0, 0, 5, 0);
  }

  @Test
  void getAndPut_countsTheReadAndThePut() throws JMException {
    given("a");
    cache.getAndPut("a", "2");
    cache.getAndPut("b", "1");
    assertCounts(1, 1, 2, 0);
  }

  @Test
  void putIfAbsent_countsAMissAndAPut_orAHit() throws JMException {
    given("a");
    cache.putIfAbsent("a", "2");
    cache.putIfAbsent("b", "1");
    assertCounts(1, 1, 1, 0);
  }

  @Test
  void remove_countsARemovalOnlyForAPresentEntry() throws JMException {
    given("a");
    cache.remove("a");
    cache.remove("b");
    assertCounts(0, 0, 0, 1);
  }

  @Test
  void conditionalRemove_countsAHitOrAMiss_andTheRemoval() throws JMException {
    given("a", "b");
    cache.remove("a", "1");
    cache.remove("b", "other");
    cache.remove("c", "1");
    assertCounts(2, 1, 0, 1);
  }

  @Test
  void getAndRemove_countsTheReadAndTheRemoval() throws JMException {
    given("a");
    cache.getAndRemove("a");
    cache.getAndRemove("b");
    assertCounts(1, 1, 0, 1);
  }

  @Test
  void replace_countsAHitAndAPut_orAMiss() throws JMException {
    given("a", "b");
    cache.replace("a", "2");
    cache.getAndReplace("b", "2");
    cache.replace("c", "2");
    cache.getAndReplace("d", "2");
    assertCounts(2, 2, 2, 0);
  }

  @Test
  void conditionalReplace_countsAHitOrAMiss_andThePut() throws JMException {
    given("a", "b");
    cache.replace("a", "1", "2");
    cache.replace("b", "other", "2");
    cache.replace("c", "1", "2");
    assertCounts(2, 1, 1, 0);
  }

  @Test
  void removeAll_countsARemovalPerPresentEntry() throws JMException {
    given("a", "b", "c", "d");
    cache.removeAll(Set.of("a", "b", "x"));
    assertCounts(0, 0, 0, 2);
    cache.removeAll();
    assertCounts(0, 0, 0, 4);
  }

  @Test
  void invoke_countsWhatTheProcessorDid() throws JMException {
    given("a", "b");
    cache.invoke("a", (entry, arguments) -> {
      entry.setValue(entry.getValue() + "+");
      return null;
    });
    cache.invoke("b", (entry, arguments) -> {
      entry.remove();
      return null;
    });
    cache.invoke("c", (entry, arguments) -> {
      entry.setValue("1");
      return null;
    });
    cache.invoke("d", (entry, arguments) -> entry.getValue());
    assertCounts(2, 2, 2, 1);
  }

  @Test
  void cacheClear_countsNothing_andStatisticsClear_startsFromZero() throws JMException {
    given("a", "b");
    cache.get("a");
    cache.clear();
    assertCounts(1, 0, 0, 0);
    SERVER.invoke(statistics, "clear", null, null);
    assertCounts(0, 0, 0, 0);
    assertEquals(0L, SERVER.getAttribute(statistics, "CacheGets"));
  }

  /** Puts {@code key=1} for each key, then sets the statistics back to zero. */
  private void given(String... keys) throws JMException {
    for (String key : keys) {
      cache.put(key, "1");
    }
    SERVER.invoke(statistics, "clear", null, null);
    assertCounts(0, 0, 0, 0);
  }

  private void assertCounts(long hits, long misses, long puts, long removals) throws JMException {
    assertEquals(List.of(hits, misses, puts, removals), List.of(SERVER.getAttribute(statistics, "CacheHits"),
        SERVER.getAttribute(statistics, "CacheMisses"), SERVER.getAttribute(statistics, "CachePuts"),
        SERVER.getAttribute(statistics, "CacheRemovals")), "hits, misses, puts, removals");
  }
}
