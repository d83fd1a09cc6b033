package dev.slotcache.hibernate;

/**
 * The settings of {@link SlotcacheRegionFactory}, read from Hibernate's configuration ({@code hibernate.properties},
 * {@code persistence.xml}, {@code application.properties} of a framework, or code).
 *
 * <p>Two families of keys:
 * <ul>
 *   <li>{@code hibernate.cache.slotcache.*} (this class): what only the region factory knows — which CacheManager,
 *       defaults per region kind, outage behaviour;</li>
 *   <li>{@code slotcache.*}: every Slotcache provider setting, passed unchanged to the CacheManager, including
 *       per-region settings {@code slotcache.cache.<region name>.expire-after-write}, {@code .segments}, … An
 *       unknown {@code slotcache.} key is an error (the provider names the known ones).</li>
 * </ul>
 * Durations are written as the provider's: {@code PT10M}, {@code 600000} (ms), {@code 500ms}, {@code 10m},
 * {@code 1h}, {@code 1d}.
 */
public final class SlotcacheHibernateSettings {

  /** Prefix of the region factory's own keys. */
  public static final String PREFIX = "hibernate.cache.slotcache.";

  /**
   * The CacheManager URI: {@code redis://host:port[,host:port…][/namespace][?option=value…]}, a
   * {@code classpath:}/{@code file:} properties file, or any other URI (a namespace on the cluster named by
   * {@code slotcache.uri}). Default: the provider's default URI, so {@code slotcache.uri} alone is enough.
   */
  public static final String URI = PREFIX + "uri";

  /**
   * {@code true} (default): when Redis cannot be reached, cache reads are misses and cache writes are skipped,
   * so transactions go on against the database. Regions whose invalidations were lost are cleared when Redis
   * answers again. {@code false}: cache failures reach the caller as {@code org.hibernate.cache.CacheException}.
   */
  public static final String FAIL_OPEN = PREFIX + "fail-open";

  /**
   * Per region kind, the TTL of an entry from its last write (the provider's {@code ModifiedExpiryPolicy}):
   * {@code hibernate.cache.slotcache.<kind>.expire-after-write}, kind being {@code entity}, {@code collection},
   * {@code natural-id} or {@code query-results}. {@code 0} or {@code eternal}: no TTL. A region's own
   * {@code slotcache.cache.<region>.expire-after-*} wins over its kind's default.
   */
  public static final String EXPIRE_AFTER_WRITE = "expire-after-write";

  /**
   * Per region kind, the number of hash slots a region's cache is spread over:
   * {@code hibernate.cache.slotcache.<kind>.segments}, kind as above or {@code update-timestamps}. A region's own
   * {@code slotcache.cache.<region>.segments} wins.
   */
  public static final String SEGMENTS = "segments";

  /**
   * Per region kind, the entries of each region's near cache in this JVM (0: none):
   * {@code hibernate.cache.slotcache.<kind>.near-cache.max-entries}, kind {@code entity}, {@code collection},
   * {@code natural-id} or {@code query-results}. A region's own {@code slotcache.cache.<region>.near-cache.max-entries}
   * wins. Never for {@code update-timestamps}: a timestamp read from memory a moment after another server changed
   * it would let stale query results look current.
   */
  public static final String NEAR_CACHE_MAX_ENTRIES = "near-cache.max-entries";

  private SlotcacheHibernateSettings() {
  }
}
