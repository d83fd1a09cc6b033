package dev.slotcache;

import java.nio.charset.StandardCharsets;
import javax.cache.CacheException;

/**
 * What every JVM must agree on about a cache, recorded in the cluster by its creator: the key layout
 * (segments) and the configured types. Stored as readable text ({@code 1|keyType|valueType|segments}) so it
 * needs no codec and operators can read it.
 */
record CacheDescriptor(String keyType, String valueType, int segments) {

  private static final String FORMAT = "1";

  byte[] encode() {
    return String.join("|", FORMAT, keyType, valueType, Integer.toString(segments)).getBytes(StandardCharsets.UTF_8);
  }

  static CacheDescriptor decode(String cacheName, byte[] bytes) {
    String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\\|");
    if (parts.length != 4 || !parts[0].equals(FORMAT)) {
      throw new CacheException("cache '" + cacheName + "' is recorded in the cluster in a form this version "
          + "cannot read; destroy it or use another namespace");
    }
    try {
      return new CacheDescriptor(parts[1], parts[2], Integer.parseInt(parts[3]));
    } catch (NumberFormatException e) {
      throw new CacheException("cache '" + cacheName + "' is recorded with an invalid segment count", e);
    }
  }
}
