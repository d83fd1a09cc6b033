package dev.slotcache;

import dev.slotcache.configuration.SlotcacheConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * What every JVM must agree on about a cache, recorded in the cluster by its creator and applied wherever the cache
 * is opened: the configured types, the key layout (segments), the expiry policy and the TTL shaping (jitter, maximum).
 * Entries are always stored by value. Stored as readable text so it needs no codec and operators can read it:
 * {@code 2|keyType|valueType|segments|expiry|ttlJitterPercent|maxTtlMillis}, where expiry is {@code eternal},
 * {@code created:<ms>}, {@code accessed:<ms>}, {@code modified:<ms>}, {@code touched:<ms>} or {@code custom:<class>}
 * and a maximum TTL of 0 means none. The first format, {@code 1|keyType|valueType|segments}, is still read.
 *
 * @param expiry null only when read from the first format (unknown)
 */
record CacheDescriptor(String keyType, String valueType, int segments, String expiry, int ttlJitterPercent,
    long maxTtlMillis) {

  private static final String FORMAT = "2";
  private static final String[] POLICIES = {"eternal", "created", "accessed", "modified", "touched"};

  /** The descriptor of an effective configuration (segments and jitter filled in). */
  static CacheDescriptor of(SlotcacheConfiguration<?, ?> configuration) {
    return new CacheDescriptor(configuration.getKeyType().getName(), configuration.getValueType().getName(),
        configuration.getSegments(), expiryOf(configuration.getExpiryPolicyFactory()),
        configuration.getTtlJitterPercent(), configuration.getMaxTtl() == null ? 0 : configuration.getMaxTtl().toMillis());
  }

  /** The expiry policy a factory makes, as recorded text. */
  static String expiryOf(Factory<ExpiryPolicy> factory) {
    ExpiryPolicy policy = factory == null ? new EternalExpiryPolicy() : factory.create();
    Class<?> type = policy.getClass();
    if (type == EternalExpiryPolicy.class) {
      return "eternal";
    }
    if (type != CreatedExpiryPolicy.class && type != AccessedExpiryPolicy.class && type != ModifiedExpiryPolicy.class
        && type != TouchedExpiryPolicy.class) {
      return "custom:" + type.getName(); // never called here: the spec counts a custom policy's calls
    }
    Duration duration = policy.getExpiryForCreation(); // the one duration of each standard policy
    String amount = duration == null || duration.isEternal() ? "eternal"
        : Long.toString(duration.getTimeUnit().toMillis(duration.getDurationAmount()));
    if (type == CreatedExpiryPolicy.class) {
      return "created:" + amount;
    }
    if (type == AccessedExpiryPolicy.class) {
      return "accessed:" + amount;
    }
    if (type == ModifiedExpiryPolicy.class) {
      return "modified:" + amount;
    }
    return "touched:" + amount;
  }

  /**
   * A factory for the recorded policy, or null when this JVM cannot make it (unknown, or a custom class it cannot
   * load or instantiate with a no-argument constructor).
   */
  static Factory<ExpiryPolicy> expiryFactory(String expiry, ClassLoader classLoader) {
    if (expiry == null) {
      return null;
    }
    if (expiry.startsWith("custom:")) {
      try {
        Class<?> type = Class.forName(expiry.substring("custom:".length()), false, classLoader);
        if (!ExpiryPolicy.class.isAssignableFrom(type)) {
          return null;
        }
        type.getConstructor();
        return FactoryBuilder.factoryOf(type.asSubclass(ExpiryPolicy.class));
      } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
        return null;
      }
    }
    int colon = expiry.indexOf(':');
    String kind = colon < 0 ? expiry : expiry.substring(0, colon);
    if (kind.equals("eternal")) {
      return EternalExpiryPolicy.factoryOf();
    }
    Duration duration;
    try {
      String amount = expiry.substring(colon + 1);
      long millis = amount.equals("eternal") ? -1 : Long.parseLong(amount);
      duration = millis < 0 ? Duration.ETERNAL : millis == 0 ? Duration.ZERO : new Duration(TimeUnit.MILLISECONDS, millis);
    } catch (RuntimeException e) {
      return null;
    }
    switch (kind) {
      case "created": return CreatedExpiryPolicy.factoryOf(duration);
      case "accessed": return AccessedExpiryPolicy.factoryOf(duration);
      case "modified": return ModifiedExpiryPolicy.factoryOf(duration);
      case "touched": return TouchedExpiryPolicy.factoryOf(duration);
      default: return null;
    }
  }

  /** Where {@code wanted} (only its explicit choices) contradicts this recorded descriptor; empty when it agrees. */
  List<String> contradictions(CacheDescriptor wanted, Choices explicit) {
    List<String> differences = new ArrayList<>();
    if (!keyType.equals(wanted.keyType) || !valueType.equals(wanted.valueType)) {
      differences.add("key and value types " + keyType + " and " + valueType + ", not " + wanted.keyType + " and "
          + wanted.valueType);
    }
    if (explicit.segments && segments != wanted.segments) {
      differences.add("segments " + segments + ", not " + wanted.segments);
    }
    if (explicit.expiry && expiry != null && !expiry.equals(wanted.expiry)) {
      differences.add("expiry " + expiry + ", not " + wanted.expiry);
    }
    if (explicit.ttlJitter && ttlJitterPercent != wanted.ttlJitterPercent) {
      differences.add("ttl-jitter " + ttlJitterPercent + ", not " + wanted.ttlJitterPercent);
    }
    if (explicit.maxTtl && maxTtlMillis != wanted.maxTtlMillis) {
      differences.add("max-ttl " + describeMillis(maxTtlMillis) + ", not " + describeMillis(wanted.maxTtlMillis));
    }
    return differences;
  }

  /** Which parts of a configuration its user chose (in code or per-cache settings), rather than left to defaults. */
  record Choices(boolean segments, boolean expiry, boolean ttlJitter, boolean maxTtl) {
  }

  /** Applies the recorded choices to an effective configuration; returns what it changed (for a log line). */
  List<String> applyTo(SlotcacheConfiguration<?, ?> configuration, ClassLoader classLoader, String cacheName) {
    List<String> changed = new ArrayList<>();
    if (configuration.getSegments() == null || configuration.getSegments() != segments) {
      configuration.setSegments(segments);
    }
    if (expiry != null && !expiry.equals(expiryOf(configuration.getExpiryPolicyFactory()))) {
      Factory<ExpiryPolicy> factory = expiryFactory(expiry, classLoader);
      if (factory == null) {
        throw new CacheException("cache '" + cacheName + "' was created with expiry policy " + expiry
            + ", which this JVM cannot make (its class must be on this class path, implement ExpiryPolicy and have "
            + "a public no-argument constructor); create the cache here with the same configuration instead");
      }
      changed.add("expiry " + expiryOf(configuration.getExpiryPolicyFactory()) + " -> " + expiry);
      configuration.setExpiryPolicyFactory(factory);
    }
    if (configuration.getTtlJitterPercent() == null || configuration.getTtlJitterPercent() != ttlJitterPercent) {
      if (configuration.getTtlJitterPercent() != null) {
        changed.add("ttl-jitter " + configuration.getTtlJitterPercent() + " -> " + ttlJitterPercent);
      }
      configuration.setTtlJitterPercent(ttlJitterPercent);
    }
    long ownMax = configuration.getMaxTtl() == null ? 0 : configuration.getMaxTtl().toMillis();
    if (ownMax != maxTtlMillis) {
      changed.add("max-ttl " + describeMillis(ownMax) + " -> " + describeMillis(maxTtlMillis));
      configuration.setMaxTtl(maxTtlMillis == 0 ? null : java.time.Duration.ofMillis(maxTtlMillis));
    }
    return changed;
  }

  private static String describeMillis(long millis) {
    return millis == 0 ? "none" : millis + "ms";
  }

  byte[] encode() {
    return String.join("|", FORMAT, keyType, valueType, Integer.toString(segments), expiry,
        Integer.toString(ttlJitterPercent), Long.toString(maxTtlMillis)).getBytes(StandardCharsets.UTF_8);
  }

  static CacheDescriptor decode(String cacheName, byte[] bytes) {
    String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\\|", -1);
    try {
      if (parts.length == 4 && parts[0].equals("1")) {
        return new CacheDescriptor(parts[1], parts[2], Integer.parseInt(parts[3]), null, 0, 0);
      }
      if (parts.length >= 7 && parts[0].equals(FORMAT) && isKnownExpiry(parts[4])) {
        return new CacheDescriptor(parts[1], parts[2], Integer.parseInt(parts[3]), parts[4], Integer.parseInt(parts[5]),
            Long.parseLong(parts[6]));
      }
    } catch (NumberFormatException e) {
      throw new CacheException("cache '" + cacheName + "' is recorded in the cluster with an invalid number ("
          + new String(bytes, StandardCharsets.UTF_8) + "); destroy it or use another namespace", e);
    }
    throw new CacheException("cache '" + cacheName + "' is recorded in the cluster in a form this version "
        + "cannot read (" + new String(bytes, StandardCharsets.UTF_8) + "); destroy it or use another namespace");
  }

  private static boolean isKnownExpiry(String expiry) {
    if (expiry.startsWith("custom:")) {
      return true;
    }
    for (String policy : POLICIES) {
      if (expiry.equals(policy) || expiry.startsWith(policy + ":")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "types " + keyType + " and " + valueType + ", segments " + segments + ", expiry "
        + (expiry == null ? "unrecorded" : expiry) + ", ttl-jitter " + ttlJitterPercent + ", max-ttl "
        + describeMillis(maxTtlMillis);
  }
}
