package dev.slotcache.internal.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.slotcache.internal.management.MBeans;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.SegmentedKeyLayout;
import dev.slotcache.internal.store.Tracking;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One cache's near cache in this JVM: a bounded Caffeine map from key to value in front of Redis, kept coherent by
 * {@link Tracking} (invalidations from Redis) and by this JVM's own writes ({@link InvalidatingStore}).
 *
 * <p>Coherence without locks: every entry carries the stamps taken <em>before</em> the read that filled it — the
 * counter of its key's stripe, and the flush epoch. An invalidation bumps the stripe of its key; a flush raises the
 * epoch of the slots concerned. A read only answers from an entry whose stamps are all still current, so an
 * invalidation that arrived at any time after the filling read was sent (even before its reply) voids the entry.
 * Nothing is filled while any master is untracked ({@link Tracking#live()}) or when tracking restarted during the
 * read. An entry also lives no longer than its TTL in Redis (from the time the read was sent) and than
 * {@code near-cache.max-ttl}.
 *
 * <p>Store-by-value: a hit returns the held object only when its class is immutable (String, boxed primitives,
 * enums, {@code java.time} values, …); any other value is held as its record and decoded anew on every hit.
 */
public final class NearTier<K, V> implements Tracking.Listener {

  private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class, Short.class,
      Byte.class, Character.class, Boolean.class, Double.class, Float.class, BigInteger.class, BigDecimal.class,
      UUID.class, URI.class, Instant.class, Duration.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
      OffsetDateTime.class, ZonedDateTime.class);

  /**
   * A held value: the object (immutable) or its record, with the stamps of the read that filled it and the
   * {@link System#nanoTime()} at which its Redis TTL ends ({@link #NO_DEADLINE}: none, only max-ttl).
   */
  private record Entry(Object value, byte[] record, int stripe, long stripeStamp, int slot, long epoch,
      long deadline) {
    boolean expired() {
      return deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0;
    }
  }

  private static final long NO_DEADLINE = Long.MIN_VALUE;

  /** The stamps of a read, taken before it is sent. */
  public record Stamp(int stripe, long stripeValue, long epoch, long trackingEpoch, long started) {
  }

  private final String cacheName;
  private final URI managerUri;
  private final Cache<Object, Entry> local;
  private final SegmentedKeyLayout layout;
  private final Tracking tracking;
  private final Function<byte[], Object> keys;
  private final Function<byte[], V> values;
  private final long maxEntries;
  private final long maxTtlNanos;
  private final AtomicLongArray stripes;
  private final int stripeMask;
  private final AtomicLongArray slotEpochs = new AtomicLongArray(SegmentedKeyLayout.SLOTS);
  private final AtomicLong epoch = new AtomicLong();
  private volatile long allEpoch;
  /** {@link System#nanoTime()} when Redis' last invalidation for this cache arrived (0: none yet). */
  private volatile long lastInvalidation;
  /** What a near cache counts, as its MBean shows it. */
  public enum Count {
    HITS("Hits", "reads answered from this JVM's memory"),
    MISSES("Misses", "reads that went to Redis (not held, expired or invalidated)"),
    FILLS("Fills", "entries kept after a read from Redis"),
    REJECTED_FILLS("RejectedFills", "reads from Redis not kept: an invalidation, a flush or a tracking outage raced "
        + "with them"),
    INVALIDATIONS("Invalidations", "invalidations from Redis (any client's write, expiry, eviction) and from this "
        + "JVM's writes"),
    FLUSHES("Flushes", "times entries were dropped wholesale: a lost tracking connection, slots changing owner, "
        + "FLUSHALL, clear");

    final String attribute;
    final String description;

    Count(String attribute, String description) {
      this.attribute = attribute;
      this.description = description;
    }
  }

  private final LongAdder[] counts = new LongAdder[Count.values().length];
  private final NearCacheBean bean = new NearCacheBean(this);
  private final long refreshWindowMillis;

  /**
   * @param keys decodes an encoded key into a key object (a copy of the caller's)
   * @param values decodes a record into a new value object, or null when it cannot be read
   * @param refreshWindowMillis with early refresh, the TTL left at which a read refreshes an entry (0: none): an
   *                entry leaves memory when its window starts, so that the read that refreshes it goes to Redis
   */
  public NearTier(URI managerUri, SegmentedKeyLayout layout, Tracking tracking, int maxEntries, Duration maxTtl,
      Function<byte[], Object> keys, Function<byte[], V> values, long refreshWindowMillis) {
    this.refreshWindowMillis = refreshWindowMillis;
    this.managerUri = Objects.requireNonNull(managerUri, "managerUri");
    this.cacheName = layout.cacheName();
    this.layout = Objects.requireNonNull(layout, "layout");
    this.tracking = Objects.requireNonNull(tracking, "tracking");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.values = Objects.requireNonNull(values, "values");
    this.maxEntries = maxEntries;
    Arrays.setAll(counts, i -> new LongAdder());
    this.maxTtlNanos = maxTtl.toNanos();
    int stripeCount = Integer.highestOneBit((int) Math.min(1 << 16, Math.max(1 << 10, 2L * maxEntries)) * 2 - 1);
    this.stripes = new AtomicLongArray(stripeCount);
    this.stripeMask = stripeCount - 1;
    this.local = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        // max-ttl from the fill: a fixed expiry, which costs a read nothing (a variable one reschedules on reads).
        // An entry with a Redis TTL also carries its deadline, checked by get.
        .expireAfterWrite(maxTtl)
        .build();
  }

  /** Starts receiving Redis' invalidations (tracking every master first, if need be) and shows the MXBean. */
  public NearTier<K, V> open() {
    tracking.register(cacheName, this);
    MBeans.register(MBeans.Kind.NearCache, managerUri, cacheName, bean);
    return this;
  }

  /** Stops receiving invalidations, drops every entry and the MBean (the cache closes). */
  public void close() {
    tracking.unregister(cacheName);
    local.invalidateAll();
    MBeans.unregister(MBeans.Kind.NearCache, managerUri, cacheName, bean);
  }

  /** The value held for {@code key} (a copy unless immutable), or null: then the caller reads Redis. */
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    Entry entry = local.getIfPresent(key);
    if (entry == null) {
      counted(Count.MISSES);
      return null;
    }
    if (stripes.get(entry.stripe) != entry.stripeStamp || entry.epoch < allEpoch
        || slotEpochs.get(entry.slot) > entry.epoch || entry.expired()) {
      local.asMap().remove(key, entry);
      counted(Count.MISSES);
      return null;
    }
    V value = entry.value != null ? (V) entry.value : values.apply(entry.record);
    if (value == null) {
      local.asMap().remove(key, entry);
      counted(Count.MISSES);
      return null;
    }
    counted(Count.HITS);
    return value;
  }

  /** Taken before a read of encoded key {@code k} is sent, for {@link #fill}. */
  public Stamp stamp(byte[] k) {
    int stripe = stripeOf(k);
    return new Stamp(stripe, stripes.get(stripe), epoch.get(), tracking.epoch(), System.nanoTime());
  }

  /** Keeps what a read stamped {@code stamp} returned for {@code k}, unless anything may have changed it since. */
  public void fill(byte[] k, Stamp stamp, CacheStore.Timed read) {
    if (read == null || read.record() == null || read.ttlMillis() == 0 || read.ttlMillis() < -1) {
      return;
    }
    int slot = layout.slot(layout.segmentOf(k));
    if (!tracking.live() || tracking.epoch() != stamp.trackingEpoch() || !current(stamp, slot)) {
      counted(Count.REJECTED_FILLS);
      return;
    }
    long held = read.ttlMillis() - refreshWindowMillis; // in memory until its refresh window starts
    if (read.ttlMillis() >= 0 && held <= 0) {
      return; // within its refresh window: read from Redis until refreshed
    }
    long deadline = read.ttlMillis() < 0 ? NO_DEADLINE
        : stamp.started() + Math.min(maxTtlNanos, TimeUnit.MILLISECONDS.toNanos(held));
    Object key;
    V value;
    try {
      key = keys.apply(k);
      value = values.apply(read.record());
    } catch (RuntimeException e) {
      return; // not kept: the read itself has reported what it could
    }
    if (key == null || value == null) {
      return;
    }
    boolean immutable = IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?>;
    local.put(key, new Entry(immutable ? value : null, immutable ? null : read.record(), stamp.stripe(),
        stamp.stripeValue(), slot, stamp.epoch(), deadline));
    counted(Count.FILLS);
  }

  private boolean current(Stamp stamp, int slot) {
    return stripes.get(stamp.stripe()) == stamp.stripeValue() && stamp.epoch() >= allEpoch
        && slotEpochs.get(slot) <= stamp.epoch();
  }

  /** This JVM writes (or wrote) encoded key {@code k}: what is held for it is void from now on. */
  public void invalidate(byte[] k) {
    stripes.incrementAndGet(stripeOf(k));
    counted(Count.INVALIDATIONS);
  }

  /** Every entry is void from now on (clear, or an unreadable invalidation). */
  public void invalidateAll() {
    allEpoch = epoch.incrementAndGet();
    counted(Count.FLUSHES);
    local.invalidateAll();
  }

  @Override
  public void invalidated(byte[] redisKey) {
    lastInvalidation = System.nanoTime();
    byte[] k = layout.encodedKeyOf(redisKey);
    if (k != null) { // else not an entry of this cache (a load lease)
      invalidate(k);
    }
  }

  @Override
  public void flushed(BitSet slots) {
    if (slots == null) {
      invalidateAll();
      return;
    }
    long flushEpoch = epoch.incrementAndGet();
    for (int slot = slots.nextSetBit(0); slot >= 0; slot = slots.nextSetBit(slot + 1)) {
      slotEpochs.set(slot, flushEpoch);
    }
    counted(Count.FLUSHES);
    local.asMap().values().removeIf(entry -> slots.get(entry.slot));
  }

  private void counted(Count what) {
    counts[what.ordinal()].increment();
  }

  private int stripeOf(byte[] k) {
    int h = Arrays.hashCode(k);
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    return h & stripeMask;
  }

  /** How many times {@code what} happened since the cache was opened in this JVM. */
  public long count(Count what) {
    return counts[what.ordinal()].sum();
  }

  /** Microseconds since Redis' last invalidation for this cache arrived, or -1 when none has. */
  public long microsSinceLastInvalidation() {
    long last = lastInvalidation;
    return last == 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - last);
  }

  /** Entries held now (approximately: invalidated ones leave at their next read or by eviction). */
  public long size() {
    return local.estimatedSize();
  }

  /** The configured bound on entries. */
  public long maxEntries() {
    return maxEntries;
  }

  /** Whether every master is tracked now; when not, nothing is being filled. */
  public boolean tracking() {
    return tracking.live();
  }
}
