package dev.slotcache.configuration;

import static dev.slotcache.configuration.SettingKinds.byteSize;
import static dev.slotcache.configuration.SettingKinds.classPatterns;
import static dev.slotcache.configuration.SettingKinds.clientName;
import static dev.slotcache.configuration.SettingKinds.clusterUri;
import static dev.slotcache.configuration.SettingKinds.duration;
import static dev.slotcache.configuration.SettingKinds.fraction;
import static dev.slotcache.configuration.SettingKinds.secretText;
import static dev.slotcache.configuration.SettingKinds.text;
import static dev.slotcache.configuration.SettingKinds.trueOrFalse;
import static dev.slotcache.configuration.SettingKinds.wholeNumber;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import javax.cache.CacheException;

/**
 * Every Slotcache setting: its key, scope, allowed values, default and meaning, defined once. Settings come, later
 * ones winning, from the defaults below, system properties, options in the CacheManager URI's query string (without
 * the {@code slotcache.} prefix), a properties resource named by the URI, and the {@code Properties} passed to
 * {@code getCacheManager}. Settings of scope {@link Scope#MANAGER_AND_CACHE} can also be given for one cache as
 * {@code slotcache.cache.<cache name>.<setting>}, which wins over the manager-wide value.
 *
 * <p>Every value, manager-wide and per cache, is checked when the settings are read ({@link #of}), so a bad value
 * fails when the CacheManager is created, not when a cache is.
 *
 * <p>Durations are ISO-8601 ({@code PT2S}), a number of milliseconds ({@code 2000}) or a number with a unit
 * ({@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}). Sizes are bytes, optionally with
 * {@code k}, {@code m} or {@code g} (powers of 1024).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SlotcacheSettings {

  /** Prefix of every setting key. */
  public static final String PREFIX = "slotcache.";

  /** Per-cache settings: {@code slotcache.cache.<cache name>.<setting>}. */
  public static final String CACHE_PREFIX = PREFIX + "cache.";

  /** Fewest segments of a cache ({@link #SEGMENTS}, {@link SlotcacheConfiguration#setSegments}). */
  public static final int MIN_SEGMENTS = 1;
  /** Most segments of a cache: one per hash slot of the cluster. */
  public static final int MAX_SEGMENTS = 16384;
  /** Smallest TTL jitter in percent ({@link #TTL_JITTER}, {@link SlotcacheConfiguration#setTtlJitterPercent}). */
  public static final int MIN_TTL_JITTER_PERCENT = 0;
  /** Largest TTL jitter in percent: at most half of a TTL is given up. */
  public static final int MAX_TTL_JITTER_PERCENT = 50;

  private static final Map<String, Setting<?>> ALL = new LinkedHashMap<>();

  /** The default cluster, for CacheManager URIs that are not {@code redis://}; also env {@code SLOTCACHE_URI}. */
  public static final Setting<String> URI = define("uri", Scope.MANAGER, clusterUri(), "redis://127.0.0.1:6379",
      "Default cluster (seed nodes and namespace) for CacheManager URIs that do not name one. "
      + "Environment variable SLOTCACHE_URI is read when the system property is not set.");
  public static final Setting<String> NAMESPACE = define("namespace", Scope.MANAGER, text(), null,
      "Key namespace; overrides the one derived from the CacheManager URI.");
  public static final Setting<String> USER = define("user", Scope.MANAGER, text(), null, "ACL user name for AUTH.");
  public static final Setting<String> PASSWORD = define("password", Scope.MANAGER, secretText(), null,
      "Password for AUTH (never logged).");
  public static final Setting<Boolean> TLS = define("tls", Scope.MANAGER, trueOrFalse(), "false",
      "Connect over TLS (same as a rediss:// URI).");
  public static final Setting<Duration> TIMEOUT = define("timeout", Scope.MANAGER, duration(false), "2s",
      "Socket timeout of every Redis call; a call that takes longer fails with a CacheException.");
  public static final Setting<Duration> CONNECT_TIMEOUT = define("connect-timeout", Scope.MANAGER, duration(false),
      "2s", "TCP connect timeout.");
  public static final Setting<Integer> MAX_ATTEMPTS = define("max-attempts", Scope.MANAGER, wholeNumber(1, 100), "5",
      "Attempts per command across MOVED/ASK redirections and reconnects (failover).");
  public static final Setting<Duration> MAX_RETRY_TIME = define("max-retry-time", Scope.MANAGER, duration(false),
      "10s", "Total time one command may spend in redirections and reconnects.");
  public static final Setting<Integer> POOL_SIZE = define("pool-size", Scope.MANAGER, wholeNumber(1, 10_000), "32",
      "Connections pooled per cluster node.");
  public static final Setting<String> CLIENT_NAME = define("client-name", Scope.MANAGER, clientName(), "slotcache",
      "CLIENT SETNAME of Slotcache's connections, as shown by CLIENT LIST.");
  public static final Setting<Integer> SEGMENTS = define("segments", Scope.MANAGER_AND_CACHE,
      wholeNumber(MIN_SEGMENTS, MAX_SEGMENTS), "256",
      "Hash slots each cache is spread over; recorded per cache in the cluster by its creator.");
  public static final Setting<Integer> TTL_JITTER = define("ttl-jitter", Scope.MANAGER_AND_CACHE,
      wholeNumber(MIN_TTL_JITTER_PERCENT, MAX_TTL_JITTER_PERCENT), "0",
      "Percent by which TTLs are randomly shortened so that entries written together do not expire together.");
  public static final Setting<Duration> MAX_TTL = define("max-ttl", Scope.MANAGER_AND_CACHE, duration(false), null,
      "Upper bound on every TTL; also bounds eternal entries.");
  public static final Setting<Integer> NEAR_CACHE_MAX_ENTRIES = define("near-cache.max-entries",
      Scope.MANAGER_AND_CACHE, wholeNumber(0, Integer.MAX_VALUE), "0",
      "Entries kept in this JVM's near cache of each cache, in front of Redis and invalidated by Redis' client "
      + "tracking; 0 turns it off.");
  public static final Setting<Duration> NEAR_CACHE_MAX_TTL = define("near-cache.max-ttl", Scope.MANAGER_AND_CACHE,
      duration(false), "1m",
      "Longest life of a near-cache entry whatever happens to invalidations (never longer than its TTL in Redis).");
  public static final Setting<Double> REFRESH_AHEAD = define("refresh-ahead", Scope.MANAGER_AND_CACHE, fraction(), null,
      "For a read-through cache with a creation or modification expiry policy: a read of an entry past this fraction of "
      + "its TTL returns it and reloads it in the background, once across every JVM.");
  public static final Setting<Boolean> SINGLE_FLIGHT = define("single-flight", Scope.MANAGER_AND_CACHE, trueOrFalse(),
      "true",
      "Whether a miss is loaded once across every JVM at a time (read-through get, getAll, loadAll; invoke on a "
      + "missing entry; the CDI @CacheResult interceptor); false: every caller loads for itself.");
  public static final Setting<Duration> SINGLE_FLIGHT_WAIT = define("single-flight.wait", Scope.MANAGER,
      duration(false), "30s",
      "How long a miss waits for another caller's load of the same key (in any JVM) before loading itself, and a "
      + "write of a cache with a writer for the key's write section before it fails.");
  public static final Setting<Duration> SINGLE_FLIGHT_LEASE = define("single-flight.lease", Scope.MANAGER,
      duration(false), "5s",
      "Life of a load lease, renewed while the loader runs: a JVM that dies mid-load holds up the others this long.");
  public static final Setting<Long> MAX_VALUE_BYTES = define("max-value-bytes", Scope.MANAGER, byteSize(), "16m",
      "Largest encoded value accepted by put and decoded by get; larger ones fail with a CacheException.");
  public static final Setting<String> ALLOWED_CLASSES = define("codec.allowed-classes", Scope.MANAGER,
      classPatterns(), null,
      "Comma-separated class patterns (com.acme.Order, com.acme.*, com.acme.**) that may be decoded in addition "
      + "to JDK value types. Empty: every class except known deserialization-gadget packages.");
  public static final Setting<Integer> INVOKE_MAX_RETRIES = define("invoke.max-retries", Scope.MANAGER,
      wholeNumber(1, 100_000), "100",
      "Compare-and-set retries of invoke/invokeAll on one contended key before a CacheException.");
  public static final Setting<Duration> EXPIRE_AFTER_WRITE = define("expire-after-write", Scope.MANAGER_AND_CACHE,
      duration(false), null,
      "TTL from creation and every update (ModifiedExpiryPolicy) for caches whose configuration has the default "
      + "eternal expiry policy.");
  public static final Setting<Duration> EXPIRE_AFTER_CREATE = define("expire-after-create", Scope.MANAGER_AND_CACHE,
      duration(false), null,
      "TTL from creation only (CreatedExpiryPolicy) for caches whose configuration has the default eternal expiry "
      + "policy.");
  public static final Setting<Duration> EXPIRE_AFTER_ACCESS = define("expire-after-access", Scope.MANAGER_AND_CACHE,
      duration(false), null,
      "TTL from creation and every access and update (TouchedExpiryPolicy) for caches whose configuration has the "
      + "default eternal expiry policy.");
  public static final Setting<Boolean> STATISTICS = define("statistics", Scope.MANAGER_AND_CACHE, trueOrFalse(),
      "false", "Turns statistics on (CacheStatisticsMXBean registered) for caches whose configuration has them off.");
  public static final Setting<Boolean> MANAGEMENT = define("management", Scope.MANAGER_AND_CACHE, trueOrFalse(),
      "false", "Turns management on (CacheMXBean registered) for caches whose configuration has it off.");

  /**
   * The three declarative expiry policies. At most one is given at each level (manager-wide, or for one cache);
   * a cache's own replaces the manager-wide one, and a later settings layer replaces an earlier layer's.
   */
  public static final List<Setting<Duration>> EXPIRY_SETTINGS =
      List.of(EXPIRE_AFTER_WRITE, EXPIRE_AFTER_CREATE, EXPIRE_AFTER_ACCESS);

  /** Where a setting may be given. */
  public enum Scope {
    /** Only for the whole manager: {@code slotcache.<setting>}. */
    MANAGER("manager"),
    /** For the whole manager, and per cache as {@code slotcache.cache.<cache name>.<setting>}, which wins. */
    MANAGER_AND_CACHE("manager, per cache");

    private final String description;

    Scope(String description) {
      this.description = description;
    }

    /** How the README's settings table names the scope. */
    public String description() {
      return description;
    }
  }

  /**
   * The values a setting allows and the Java value each stands for. Instances are immutable and thread-safe.
   *
   * @param <T> the parsed value's type
   */
  public static final class Kind<T> {
    private final String allowed;
    private final String examples;
    private final boolean secret;
    private final Function<String, T> parser;

    /** {@code parser} returns null or throws IllegalArgumentException for text it does not allow. */
    Kind(String allowed, String examples, boolean secret, Function<String, T> parser) {
      this.allowed = allowed;
      this.examples = examples;
      this.secret = secret;
      this.parser = parser;
    }

    /** The allowed values in words, as messages and the README put them ("a whole number from 1 to 100"). */
    public String allowed() {
      return allowed;
    }
  }

  /**
   * One setting: full key, the name used in URI queries and per-cache keys, where it may be given, the values it
   * allows, its default (or null) and description. Instances are immutable and thread-safe.
   *
   * @param <T> the type of its parsed value
   */
  public record Setting<T>(String key, String name, Scope scope, Kind<T> kind, String defaultValue,
      String description) {

    /**
     * The value {@code text} stands for.
     *
     * @param key the key {@code text} was given under (this setting's key, or a per-cache key), for the message
     * @throws CacheException naming {@code key}, the value (never a password) and what is allowed
     */
    public T parse(String key, String text) {
      try {
        T value = kind.parser.apply(text.trim());
        if (value != null) {
          return value;
        }
      } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
        // refused below
      }
      String shown = kind.secret ? "; the value is not shown, as it may hold a password" : ", was '" + text + "'";
      throw new CacheException(key + " must be " + kind.allowed + kind.examples + shown);
    }

    /** The allowed values in words. */
    public String allowed() {
      return kind.allowed();
    }
  }

  private static <T> Setting<T> define(String name, Scope scope, Kind<T> kind, String defaultValue,
      String description) {
    Setting<T> setting = new Setting<>(PREFIX + name, name, scope, kind, defaultValue, description);
    ALL.put(setting.key(), setting);
    return setting;
  }

  /** Every setting, in documentation order. */
  public static List<Setting<?>> all() {
    return List.copyOf(ALL.values());
  }

  /** Names of the settings that may also be given per cache, in documentation order. */
  public static List<String> perCacheNames() {
    return ALL.values().stream().filter(s -> s.scope() == Scope.MANAGER_AND_CACHE).map(Setting::name).toList();
  }

  private final Map<String, String> values;

  private SlotcacheSettings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Settings from layers of properties, later layers winning; keys without the {@code slotcache.} prefix are
   * ignored. A layer that gives one of the {@link #EXPIRY_SETTINGS} for a level (manager-wide or one cache) replaces
   * the earlier layers' expiry setting of that level.
   *
   * @throws CacheException for an unknown key, a per-cache key of a manager-wide setting, a value the setting does
   *     not allow, or two expiry settings at one level
   */
  public static SlotcacheSettings of(List<Properties> layers) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Properties layer : layers) {
      Map<String, String> own = new LinkedHashMap<>();
      for (String key : layer.stringPropertyNames()) {
        if (key.startsWith(PREFIX)) {
          own.put(key, layer.getProperty(key).trim());
        }
      }
      for (String key : own.keySet()) {
        String level = expiryLevel(key);
        if (level != null) {
          EXPIRY_SETTINGS.forEach(expiry -> values.remove(level + expiry.name()));
        }
      }
      values.putAll(own);
    }
    validate(values);
    return new SlotcacheSettings(values);
  }

  private static void validate(Map<String, String> values) {
    Map<String, List<String>> expiryKeysByLevel = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String key = entry.getKey();
      Setting<?> setting = key.startsWith(CACHE_PREFIX) ? perCacheSetting(key) : ALL.get(key);
      if (setting == null) {
        throw new CacheException("unknown setting '" + key + "'; known settings: " + String.join(", ", ALL.keySet()));
      }
      setting.parse(key, entry.getValue());
      String level = expiryLevel(key);
      if (level != null) {
        expiryKeysByLevel.computeIfAbsent(level, l -> new ArrayList<>()).add(key);
      }
    }
    for (List<String> keys : expiryKeysByLevel.values()) {
      if (keys.size() > 1) {
        throw new CacheException("set only one of " + String.join(" and ", keys) + ": expire-after-write, "
            + "expire-after-create and expire-after-access are alternative expiry policies");
      }
    }
  }

  /**
   * The setting a key {@code slotcache.cache.<cache name>.<setting>} names: cache names may contain dots, so the
   * longest known setting name the key ends with (after a non-empty cache name) is the setting.
   */
  private static Setting<?> perCacheSetting(String key) {
    String rest = key.substring(CACHE_PREFIX.length());
    Setting<?> found = null;
    for (Setting<?> setting : ALL.values()) {
      String suffix = "." + setting.name();
      if (rest.endsWith(suffix) && rest.length() > suffix.length()
          && (found == null || setting.name().length() > found.name().length())) {
        found = setting;
      }
    }
    String perCache = String.join(", ", perCacheNames());
    if (found == null) {
      throw new CacheException("unknown per-cache setting '" + key + "'; per-cache keys are "
          + CACHE_PREFIX + "<cache name>.<setting>, and the per-cache settings are " + perCache);
    }
    if (found.scope() == Scope.MANAGER) {
      throw new CacheException("'" + key + "' cannot be set per cache: " + found.name()
          + " is a manager-wide setting only (" + found.key() + "); the per-cache settings are " + perCache);
    }
    return found;
  }

  /** For a key of one of the {@link #EXPIRY_SETTINGS}, the key without the setting's name; otherwise null. */
  private static String expiryLevel(String key) {
    for (Setting<Duration> expiry : EXPIRY_SETTINGS) {
      if (key.equals(expiry.key())) {
        return PREFIX;
      }
      if (key.startsWith(CACHE_PREFIX) && key.endsWith("." + expiry.name())
          && key.length() > CACHE_PREFIX.length() + expiry.name().length() + 1) {
        return key.substring(0, key.length() - expiry.name().length());
      }
    }
    return null;
  }

  /** A setting's raw value, or its default. */
  public String get(Setting<?> setting) {
    return values.getOrDefault(setting.key(), setting.defaultValue());
  }

  /** A setting's value, or its default; null when it has neither. */
  public <T> T value(Setting<T> setting) {
    String text = get(setting);
    return text == null ? null : setting.parse(setting.key(), text);
  }

  /** A size setting's value, or its default. */
  public long size(Setting<Long> setting) {
    return value(setting);
  }

  /** A per-cache override ({@code slotcache.cache.<cache>.<name>}), else the global value; raw. */
  public String forCache(String cacheName, Setting<?> setting) {
    String own = ownOfCache(cacheName, setting);
    return own != null ? own : get(setting);
  }

  /** A per-cache override ({@code slotcache.cache.<cache>.<name>}), else the global value; null when neither. */
  public <T> T valueForCache(String cacheName, Setting<T> setting) {
    T own = ownValueOfCache(cacheName, setting);
    return own != null ? own : value(setting);
  }

  /** Only the per-cache value, raw, or null. */
  public String ownOfCache(String cacheName, Setting<?> setting) {
    if (setting.scope() != Scope.MANAGER_AND_CACHE) {
      throw new IllegalArgumentException(setting.key() + " is a manager-wide setting only");
    }
    return values.get(CACHE_PREFIX + cacheName + "." + setting.name());
  }

  /** Only the per-cache value, or null. */
  public <T> T ownValueOfCache(String cacheName, Setting<T> setting) {
    String own = ownOfCache(cacheName, setting);
    return own == null ? null : setting.parse(CACHE_PREFIX + cacheName + "." + setting.name(), own);
  }

  /** Parses a whole number from {@code min} to {@code max}, for settings defined elsewhere. */
  public static int parseInt(String key, String value, int min, int max) {
    return new Setting<>(key, key, Scope.MANAGER, wholeNumber(min, max), null, "").parse(key, value);
  }

  /** Parses {@code true} or {@code false} (any case), for settings defined elsewhere. */
  public static boolean parseBoolean(String key, String value) {
    return new Setting<>(key, key, Scope.MANAGER, trueOrFalse(), null, "").parse(key, value);
  }

  /** Parses a duration of zero or more, for settings defined elsewhere. */
  public static Duration parseDuration(String key, String value) {
    return new Setting<>(key, key, Scope.MANAGER, duration(true), null, "").parse(key, value);
  }
}
