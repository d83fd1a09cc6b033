package dev.slotcache.configuration;

import java.time.Duration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;

/**
 * A {@link MutableConfiguration} with the settings only a Redis-backed cache has. Any
 * {@code MutableConfiguration} works with Slotcache; use this class (or the declarative
 * {@code slotcache.cache.<name>.*} settings) to tune the Redis side.
 *
 * <p>Like its superclass it is mutable and not thread-safe; a cache keeps an immutable copy.
 *
 * @param <K> key type
 * @param <V> value type
 */
public class SlotcacheConfiguration<K, V> extends MutableConfiguration<K, V> {

  private static final long serialVersionUID = 1L;

  private Integer segments;
  private Integer ttlJitterPercent;
  private Duration maxTtl;
  private Integer nearCacheMaxEntries;
  private Duration nearCacheMaxTtl;
  private Boolean singleFlight;
  private Double refreshAhead;

  public SlotcacheConfiguration() {
  }

  /** The effective configuration of a Slotcache cache (a copy), typed; same as {@code getConfiguration}. */
  @SuppressWarnings("unchecked")
  public static <K, V> SlotcacheConfiguration<K, V> of(javax.cache.Cache<K, V> cache) {
    return cache.getConfiguration(SlotcacheConfiguration.class);
  }

  /** Copies any configuration; Slotcache settings too when {@code configuration} is a SlotcacheConfiguration. */
  public SlotcacheConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof SlotcacheConfiguration<K, V> other) {
      this.segments = other.segments;
      this.ttlJitterPercent = other.ttlJitterPercent;
      this.maxTtl = other.maxTtl;
      this.nearCacheMaxEntries = other.nearCacheMaxEntries;
      this.nearCacheMaxTtl = other.nearCacheMaxTtl;
      this.singleFlight = other.singleFlight;
      this.refreshAhead = other.refreshAhead;
    }
  }

  /** Number of segments (hash slots) the cache is spread over, or null for the manager's default. */
  public Integer getSegments() {
    return segments;
  }

  /**
   * Spreads the cache over {@code segments} hash slots ({@value SlotcacheSettings#MIN_SEGMENTS} to
   * {@value SlotcacheSettings#MAX_SEGMENTS}). More segments spread a cache more evenly over masters; fewer make
   * {@code clear()} and iteration cheaper. Every JVM sharing a cache must agree: the first creator's value is
   * recorded in the cluster and used by all.
   */
  public SlotcacheConfiguration<K, V> setSegments(int segments) {
    if (segments < SlotcacheSettings.MIN_SEGMENTS || segments > SlotcacheSettings.MAX_SEGMENTS) {
      throw new IllegalArgumentException("segments must be between " + SlotcacheSettings.MIN_SEGMENTS + " and "
          + SlotcacheSettings.MAX_SEGMENTS + ", was " + segments);
    }
    this.segments = segments;
    return this;
  }

  /** TTL jitter in percent, or null for the manager's default. */
  public Integer getTtlJitterPercent() {
    return ttlJitterPercent;
  }

  /**
   * Shortens every TTL by a random 0 to {@code percent} % ({@code percent} at most
   * {@value SlotcacheSettings#MAX_TTL_JITTER_PERCENT}) so that entries written together do not all expire together
   * (thundering herd). 0 disables it.
   */
  public SlotcacheConfiguration<K, V> setTtlJitterPercent(int percent) {
    if (percent < SlotcacheSettings.MIN_TTL_JITTER_PERCENT || percent > SlotcacheSettings.MAX_TTL_JITTER_PERCENT) {
      throw new IllegalArgumentException("TTL jitter must be between " + SlotcacheSettings.MIN_TTL_JITTER_PERCENT
          + " and " + SlotcacheSettings.MAX_TTL_JITTER_PERCENT + " percent, was " + percent);
    }
    this.ttlJitterPercent = percent;
    return this;
  }

  /** Upper bound on every TTL, or null for none. */
  public Duration getMaxTtl() {
    return maxTtl;
  }

  /** Caps every TTL (also turns eternal entries into ones that expire after {@code maxTtl}); null for no cap. */
  public SlotcacheConfiguration<K, V> setMaxTtl(Duration maxTtl) {
    this.maxTtl = positiveOrNull("maxTtl", maxTtl);
    return this;
  }

  private static Duration positiveOrNull(String what, Duration duration) {
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException(what + " must be positive, was " + duration);
    }
    return duration;
  }

  /** Most entries of this JVM's near cache of the cache (0: no near cache), or null for the manager's setting. */
  public Integer getNearCacheMaxEntries() {
    return nearCacheMaxEntries;
  }

  /**
   * Keeps up to {@code maxEntries} entries of the cache in this JVM's memory, in front of Redis, invalidated by Redis
   * itself when any client changes them (see the README, "Near cache"); 0 turns the near cache off. Only this JVM is
   * affected: it is not recorded in the cluster.
   */
  public SlotcacheConfiguration<K, V> setNearCacheMaxEntries(int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("near cache max entries must be 0 (off) or more, was " + maxEntries);
    }
    this.nearCacheMaxEntries = maxEntries;
    return this;
  }

  /** The longest a near-cache entry may live, or null for the manager's setting. */
  public Duration getNearCacheMaxTtl() {
    return nearCacheMaxTtl;
  }

  /**
   * Bounds how long an entry stays in the near cache whatever happens to invalidations (never longer than its TTL in
   * Redis either).
   */
  public SlotcacheConfiguration<K, V> setNearCacheMaxTtl(Duration maxTtl) {
    this.nearCacheMaxTtl = positiveOrNull("near cache max TTL", maxTtl);
    return this;
  }

  /** Whether misses of the cache load once across every JVM at a time, or null for the manager's setting. */
  public Boolean getSingleFlight() {
    return singleFlight;
  }

  /**
   * Loads a miss once across every JVM sharing the cache at a time (true, the default): read-through {@code get},
   * {@code getAll} and {@code loadAll}, an {@code invoke} on a missing entry, and the {@code @CacheResult}
   * interceptor of {@code slotcache-cdi}; the other callers wait for that value (see the README, "Stampede
   * protection"). false: every caller loads for itself, without the lease's round trips. Only this JVM is affected.
   */
  public SlotcacheConfiguration<K, V> setSingleFlight(boolean singleFlight) {
    this.singleFlight = singleFlight;
    return this;
  }

  /** The fraction of an entry's TTL after which a read refreshes it early, or null for none (the manager's setting). */
  public Double getRefreshAhead() {
    return refreshAhead;
  }

  /**
   * Refreshes entries early (refresh-ahead): a read of an entry that has lived more than {@code fraction} of its TTL
   * returns its current value and reloads it in the background, once across every JVM sharing the cache, so that a
   * hot entry never expires under load (see the README, "Stampede protection"). Only for a read-through cache whose
   * expiry policy gives entries their TTL on creation or update ({@code CreatedExpiryPolicy},
   * {@code ModifiedExpiryPolicy}); elsewhere it is logged and has no effect. Only this JVM is affected.
   *
   * @param fraction greater than 0 and less than 1, such as 0.8
   */
  public SlotcacheConfiguration<K, V> setRefreshAhead(double fraction) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("refresh-ahead must be greater than 0 and less than 1, was " + fraction);
    }
    this.refreshAhead = fraction;
    return this;
  }
}
