package dev.slotcache.configuration;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * Every Slotcache setting: its key, default and meaning, defined once. Settings come, later ones winning, from
 * the defaults below, system properties, options in the CacheManager URI's query string (without the
 * {@code slotcache.} prefix), a properties resource named by the URI, and the {@code Properties} passed to
 * {@code getCacheManager}.
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

  private static final Map<String, Setting> ALL = new LinkedHashMap<>();

  /** The default cluster, for CacheManager URIs that are not {@code redis://}; also env {@code SLOTCACHE_URI}. */
  public static final Setting URI = define("uri", "redis://127.0.0.1:6379",
      "Default cluster (seed nodes and namespace) for CacheManager URIs that do not name one. "
      + "Environment variable SLOTCACHE_URI is read when the system property is not set.");
  public static final Setting NAMESPACE = define("namespace", null,
      "Key namespace; overrides the one derived from the CacheManager URI.");
  public static final Setting USER = define("user", null, "ACL user name for AUTH.");
  public static final Setting PASSWORD = define("password", null, "Password for AUTH (never logged).");
  public static final Setting TLS = define("tls", "false", "Connect over TLS (same as a rediss:// URI).");
  public static final Setting TIMEOUT = define("timeout", "2s",
      "Socket timeout of every Redis call; a call that takes longer fails with a CacheException.");
  public static final Setting CONNECT_TIMEOUT = define("connect-timeout", "2s", "TCP connect timeout.");
  public static final Setting MAX_ATTEMPTS = define("max-attempts", "5",
      "Attempts per command across MOVED/ASK redirections and reconnects (failover).");
  public static final Setting MAX_RETRY_TIME = define("max-retry-time", "10s",
      "Total time one command may spend in redirections and reconnects.");
  public static final Setting POOL_SIZE = define("pool-size", "32", "Connections pooled per cluster node.");
  public static final Setting CLIENT_NAME = define("client-name", "slotcache",
      "CLIENT SETNAME of Slotcache's connections, as shown by CLIENT LIST.");
  public static final Setting SEGMENTS = define("segments", "256",
      "Hash slots each cache is spread over (1-16384); recorded per cache in the cluster by its creator.");
  public static final Setting TTL_JITTER = define("ttl-jitter", "0",
      "Percent (0-50) by which TTLs are randomly shortened so that entries written together do not expire together.");
  public static final Setting MAX_TTL = define("max-ttl", null, "Upper bound on every TTL; also bounds eternal entries.");
  public static final Setting MAX_VALUE_BYTES = define("max-value-bytes", "16m",
      "Largest encoded value accepted by put and decoded by get; larger ones fail with a CacheException.");
  public static final Setting ALLOWED_CLASSES = define("codec.allowed-classes", null,
      "Comma-separated class patterns (com.acme.Order, com.acme.*, com.acme.**) that may be decoded in addition "
      + "to JDK value types. Empty: every class except known deserialization-gadget packages.");
  public static final Setting INVOKE_MAX_RETRIES = define("invoke.max-retries", "100",
      "Compare-and-set retries of invoke/invokeAll on one contended key before a CacheException.");
  public static final Setting EXPIRE_AFTER_WRITE = define("expire-after-write", null,
      "Per cache: TTL from creation and every update (ModifiedExpiryPolicy) when the configuration has the "
      + "default eternal expiry policy.");
  public static final Setting EXPIRE_AFTER_CREATE = define("expire-after-create", null,
      "Per cache: TTL from creation only (CreatedExpiryPolicy) when the configuration has the default eternal expiry policy.");
  public static final Setting EXPIRE_AFTER_ACCESS = define("expire-after-access", null,
      "Per cache: TTL from creation and every access and update (TouchedExpiryPolicy) when the configuration has "
      + "the default eternal expiry policy.");

  private static Setting define(String name, String defaultValue, String description) {
    Setting setting = new Setting(PREFIX + name, name, defaultValue, description);
    ALL.put(setting.key(), setting);
    return setting;
  }

  /** One setting: full key, the name used in URI queries and per-cache keys, default (or null), description. */
  public record Setting(String key, String name, String defaultValue, String description) {
  }

  /** Every setting, in documentation order. */
  public static List<Setting> all() {
    return List.copyOf(ALL.values());
  }

  private final Map<String, String> values;

  private SlotcacheSettings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** Settings from layers of properties, later layers winning; unknown {@code slotcache.} keys are refused. */
  public static SlotcacheSettings of(List<Properties> layers) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Properties layer : layers) {
      for (String key : layer.stringPropertyNames()) {
        if (!key.startsWith(PREFIX)) {
          continue;
        }
        String value = layer.getProperty(key);
        if (!ALL.containsKey(key) && !key.startsWith(CACHE_PREFIX)) {
          throw new CacheException("unknown setting '" + key + "'; known settings: " + String.join(", ", ALL.keySet()));
        }
        values.put(key, value.trim());
      }
    }
    return new SlotcacheSettings(values);
  }

  /** A setting's raw value, or its default. */
  public String get(Setting setting) {
    return values.getOrDefault(setting.key(), setting.defaultValue());
  }

  /** A per-cache override ({@code slotcache.cache.<cache>.<name>}), else the global value. */
  public String forCache(String cacheName, Setting setting) {
    String own = values.get(CACHE_PREFIX + cacheName + "." + setting.name());
    return own != null ? own : get(setting);
  }

  /** Only the per-cache value, or null. */
  public String ownOfCache(String cacheName, Setting setting) {
    return values.get(CACHE_PREFIX + cacheName + "." + setting.name());
  }

  public int intValue(Setting setting, int min, int max) {
    return parseInt(setting.key(), get(setting), min, max);
  }

  public boolean booleanValue(Setting setting) {
    return parseBoolean(setting.key(), get(setting));
  }

  public Duration duration(Setting setting) {
    String value = get(setting);
    return value == null ? null : parseDuration(setting.key(), value);
  }

  public long size(Setting setting) {
    return parseSize(setting.key(), get(setting));
  }

  /** Per-cache keys that name no known setting, for a clear error. */
  public List<String> unknownCacheKeys() {
    List<String> unknown = new ArrayList<>();
    for (String key : values.keySet()) {
      if (key.startsWith(CACHE_PREFIX)) {
        String name = key.substring(key.lastIndexOf('.') + 1);
        if (!ALL.containsKey(PREFIX + name)) {
          unknown.add(key);
        }
      }
    }
    return unknown;
  }

  public static int parseInt(String key, String value, int min, int max) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < min || parsed > max) {
        throw new CacheException(key + " must be between " + min + " and " + max + ", was " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new CacheException(key + " must be a whole number, was '" + value + "'", e);
    }
  }

  public static boolean parseBoolean(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new CacheException(key + " must be true or false, was '" + value + "'");
  }

  public static Duration parseDuration(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("p") || v.startsWith("-p")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("d")) {
        d = Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else {
        d = Duration.ofMillis(Long.parseLong(v));
      }
      if (d.isNegative()) {
        throw new CacheException(key + " must not be negative, was '" + value + "'");
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new CacheException(key + " must be a duration such as PT2S, 2000, 500ms, 2s, 5m, 1h or 1d; was '"
          + value + "'", e);
    }
  }

  public static long parseSize(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      unit = v.endsWith("k") ? 1024 : v.endsWith("m") ? 1024 * 1024 : 1024L * 1024 * 1024;
      v = v.substring(0, v.length() - 1).trim();
    }
    try {
      long size = Math.multiplyExact(Long.parseLong(v), unit);
      if (size <= 0) {
        throw new CacheException(key + " must be positive, was '" + value + "'");
      }
      return size;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CacheException(key + " must be a size such as 1048576, 512k, 16m or 1g; was '" + value + "'", e);
    }
  }
}
