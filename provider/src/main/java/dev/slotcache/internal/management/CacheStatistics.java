package dev.slotcache.internal.management;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * The statistics of one cache in this JVM, counted as the operations of this JVM see them (other JVMs keep
 * their own). Counting is cheap (striped adders) and happens only while statistics are enabled. Thread-safe.
 *
 * <p>{@link #getCacheEvictions()} is always 0: the cache has no size bound of its own, and when Redis evicts
 * keys under {@code maxmemory} it tells no client. Redis counts them per node: {@code INFO stats},
 * {@code evicted_keys} (for every cache on that node together).
 */
public final class CacheStatistics implements CacheStatisticsMXBean {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder removals = new LongAdder();
  private final LongAdder getNanos = new LongAdder();
  private final LongAdder putNanos = new LongAdder();
  private final LongAdder removeNanos = new LongAdder();
  private volatile boolean enabled;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public void hits(long count) {
    count(hits, count);
  }

  public void misses(long count) {
    count(misses, count);
  }

  public void puts(long count) {
    count(puts, count);
  }

  public void removals(long count) {
    count(removals, count);
  }

  /** Time spent in a get since {@code startNanos} ({@link System#nanoTime()}). */
  public void getTime(long startNanos) {
    time(getNanos, startNanos);
  }

  public void putTime(long startNanos) {
    time(putNanos, startNanos);
  }

  public void removeTime(long startNanos) {
    time(removeNanos, startNanos);
  }

  /** {@link System#nanoTime()} when enabled, else 0 (spares the clock read). */
  public long start() {
    return enabled ? System.nanoTime() : 0;
  }

  @Override
  public void clear() {
    hits.reset();
    misses.reset();
    puts.reset();
    removals.reset();
    getNanos.reset();
    putNanos.reset();
    removeNanos.reset();
  }

  @Override
  public long getCacheHits() {
    return hits.sum();
  }

  @Override
  public float getCacheHitPercentage() {
    return percentOfGets(getCacheHits());
  }

  @Override
  public long getCacheMisses() {
    return misses.sum();
  }

  @Override
  public float getCacheMissPercentage() {
    return percentOfGets(getCacheMisses());
  }

  @Override
  public long getCacheGets() {
    return getCacheHits() + getCacheMisses();
  }

  @Override
  public long getCachePuts() {
    return puts.sum();
  }

  @Override
  public long getCacheRemovals() {
    return removals.sum();
  }

  /** Always 0: Redis evicts, not this JVM (see the class description). */
  @Override
  public long getCacheEvictions() {
    return 0;
  }

  @Override
  public float getAverageGetTime() {
    return average(getNanos.sum(), getCacheGets());
  }

  @Override
  public float getAveragePutTime() {
    return average(putNanos.sum(), getCachePuts());
  }

  @Override
  public float getAverageRemoveTime() {
    return average(removeNanos.sum(), getCacheRemovals());
  }

  private void count(LongAdder counter, long count) {
    if (enabled && count > 0) {
      counter.add(count);
    }
  }

  private void time(LongAdder total, long startNanos) {
    if (enabled) {
      total.add(System.nanoTime() - startNanos);
    }
  }

  private float percentOfGets(long count) {
    long gets = getCacheGets();
    return gets == 0 ? 0 : (float) count / gets * 100.0f;
  }

  private static float average(long nanos, long count) {
    return count == 0 ? 0 : (float) TimeUnit.NANOSECONDS.toMicros(nanos) / count;
  }
}
