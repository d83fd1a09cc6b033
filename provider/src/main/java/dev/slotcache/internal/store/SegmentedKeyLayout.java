package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Where a cache's entries live: {@code <namespace>:{<cache>:<segment-tag>}:<encoded key>}.
 *
 * <p>The part in braces is the Redis Cluster hash tag, computed from the cache name and the segment number,
 * never from user key bytes (the first brace pair of a key is its hash tag, and ours always comes first). A key's segment is a hash of its encoded bytes, so a cache
 * is spread over all its segments. Each segment tag is chosen so that segment {@code i} of {@code n} falls in
 * the {@code i}-th of {@code n} equal stripes of the 16,384 slots: segments are spread evenly over the slot
 * space, hence evenly over masters that own equal slot ranges. The tag is {@code <i>} when that already lands
 * in the stripe, else {@code <i>.<salt>} with the smallest salt that does — deterministic in every JVM.
 *
 * <p>Names are escaped ({@code %XX} for {@code % { } : * ? [ ] \}, blanks and control characters), so no
 * namespace or cache name can reach into another's keys or patterns. Immutable and thread-safe.
 */
public final class SegmentedKeyLayout {

  /** Number of hash slots in a Redis Cluster. */
  public static final int SLOTS = 16384;

  private final String namespace;
  private final String cacheName;
  private final byte[][] prefixes;
  private final int[] slots;

  public SegmentedKeyLayout(String namespace, String cacheName, int segments) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    if (segments < 1 || segments > SLOTS) {
      throw new IllegalArgumentException("segments must be between 1 and " + SLOTS + ", was " + segments);
    }
    this.prefixes = new byte[segments][];
    this.slots = new int[segments];
    String escapedNamespace = escape(namespace, false);
    String escapedCache = escape(cacheName, true);
    for (int segment = 0; segment < segments; segment++) {
      String tag = segmentTag(escapedCache, segment, segments);
      prefixes[segment] = (escapedNamespace + ":{" + tag + "}:").getBytes(StandardCharsets.UTF_8);
      slots[segment] = JedisClusterCRC16.getSlot(tag);
    }
  }

  private static String segmentTag(String escapedCache, int segment, int segments) {
    int low = (int) ((long) segment * SLOTS / segments);
    int high = (int) ((long) (segment + 1) * SLOTS / segments);
    String base = escapedCache + ":" + segment;
    if (inStripe(JedisClusterCRC16.getSlot(base), low, high)) {
      return base;
    }
    for (int salt = 0; ; salt++) {
      String candidate = base + "." + salt;
      if (inStripe(JedisClusterCRC16.getSlot(candidate), low, high)) {
        return candidate;
      }
    }
  }

  private static boolean inStripe(int slot, int low, int high) {
    return slot >= low && slot < high;
  }

  public String namespace() {
    return namespace;
  }

  public String cacheName() {
    return cacheName;
  }

  public int segments() {
    return slots.length;
  }

  /** The hash slot of segment {@code segment}. */
  public int slot(int segment) {
    return slots[segment];
  }

  /** The key prefix shared by all entries of a segment, hash tag included. */
  public byte[] prefix(int segment) {
    return prefixes[segment];
  }

  /** The segment an encoded key belongs to: a well-mixed hash of its bytes. */
  public int segmentOf(byte[] encodedKey) {
    int h = Arrays.hashCode(encodedKey);
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Math.floorMod(h, slots.length);
  }

  /** The Redis key of an encoded cache key. */
  public byte[] redisKey(byte[] encodedKey) {
    return redisKey(segmentOf(encodedKey), encodedKey);
  }

  byte[] redisKey(int segment, byte[] encodedKey) {
    byte[] prefix = prefixes[segment];
    byte[] key = Arrays.copyOf(prefix, prefix.length + encodedKey.length);
    System.arraycopy(encodedKey, 0, key, prefix.length, encodedKey.length);
    return key;
  }

  private static final byte[] LEASE = "!lease:".getBytes(StandardCharsets.US_ASCII);

  /**
   * The key of the load lease of an encoded cache key: in the entry's own slot (same hash tag), but outside the
   * segment's key prefix, so that listing, clearing and reading the cache never see it.
   */
  public byte[] leaseKey(byte[] encodedKey) {
    byte[] prefix = prefixes[segmentOf(encodedKey)];
    int tagEnd = prefix.length - 1; // the prefix ends "…}:"; a lease key goes on "…}!lease:"
    byte[] key = new byte[tagEnd + LEASE.length + encodedKey.length];
    System.arraycopy(prefix, 0, key, 0, tagEnd);
    System.arraycopy(LEASE, 0, key, tagEnd, LEASE.length);
    System.arraycopy(encodedKey, 0, key, tagEnd + LEASE.length, encodedKey.length);
    return key;
  }

  /** The encoded cache key inside a Redis key of segment {@code segment}, or null when it is not one of ours. */
  byte[] encodedKey(int segment, byte[] redisKey) {
    byte[] prefix = prefixes[segment];
    if (redisKey.length < prefix.length || !Arrays.equals(redisKey, 0, prefix.length, prefix, 0, prefix.length)) {
      return null;
    }
    return Arrays.copyOfRange(redisKey, prefix.length, redisKey.length);
  }

  /**
   * The name of the cache a Redis key of {@code namespace} belongs to, or null when the key is not a cache
   * entry of that namespace. For keyspace notifications, which name only the key.
   */
  public static String cacheNameOf(String namespace, byte[] redisKey) {
    String key = new String(redisKey, StandardCharsets.UTF_8);
    String prefix = escape(namespace, false) + ":{";
    int close = key.indexOf('}', prefix.length());
    if (!key.startsWith(prefix) || close < 0) {
      return null;
    }
    String tag = key.substring(prefix.length(), close);
    int colon = tag.lastIndexOf(':');
    return colon <= 0 ? null : ClusterEvents.unescape(tag.substring(0, colon));
  }

  /** The encoded cache key inside one of this layout's Redis keys, or null when it is not one. */
  public byte[] encodedKeyOf(byte[] redisKey) {
    String key = new String(redisKey, StandardCharsets.ISO_8859_1);
    int open = key.indexOf('{');
    int close = key.indexOf('}', open + 1);
    if (open < 0 || close < 0) {
      return null;
    }
    String tag = key.substring(open + 1, close);
    int colon = tag.lastIndexOf(':');
    int dot = tag.indexOf('.', colon + 1);
    try {
      int segment = Integer.parseInt(tag.substring(colon + 1, dot < 0 ? tag.length() : dot));
      return segment >= 0 && segment < segments() ? encodedKey(segment, redisKey) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Escapes a name for use in a key: {@code %XX} (UTF-8 bytes) for {@code %}, braces, glob characters,
   * backslash, blanks and control characters, and also {@code :} when {@code colon} is set.
   */
  public static String escape(String name, boolean colon) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      int c = b & 0xff;
      boolean special = c <= 0x20 || c == 0x7f || c == '%' || c == '{' || c == '}' || c == '*' || c == '?'
          || c == '[' || c == ']' || c == '\\' || (colon && c == ':');
      if (special) {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        out.append((char) c);
      }
    }
    // Non-ASCII bytes were appended as Latin-1 chars above; turn them back into their UTF-8 text.
    return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
