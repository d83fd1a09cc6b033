package dev.slotcache.hibernate;

import java.time.Duration;

/** What a region holds; each kind has its own defaults (see {@link SlotcacheHibernateSettings}). */
enum RegionKind {
  ENTITY("entity", Duration.ofHours(1), null),
  COLLECTION("collection", Duration.ofHours(1), null),
  NATURAL_ID("natural-id", Duration.ofHours(1), null),
  QUERY_RESULTS("query-results", Duration.ofMinutes(10), null),
  /** Never expires: a lost timestamp would make stale query results look current. Few keys: few segments. */
  UPDATE_TIMESTAMPS("update-timestamps", null, 16);

  private final String key;
  private final Duration defaultExpireAfterWrite;
  private final Integer defaultSegments;

  RegionKind(String key, Duration defaultExpireAfterWrite, Integer defaultSegments) {
    this.key = key;
    this.defaultExpireAfterWrite = defaultExpireAfterWrite;
    this.defaultSegments = defaultSegments;
  }

  /** The kind's name in setting keys: {@code hibernate.cache.slotcache.<key>.…}. */
  String key() {
    return key;
  }

  /** Built-in TTL from the last write, or null for none. */
  Duration defaultExpireAfterWrite() {
    return defaultExpireAfterWrite;
  }

  /** Built-in segment count, or null for the provider's default. */
  Integer defaultSegments() {
    return defaultSegments;
  }

  /** Whether a TTL may be configured for this kind. */
  boolean mayExpire() {
    return this != UPDATE_TIMESTAMPS;
  }
}
