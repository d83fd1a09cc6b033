package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.codec.ClassNotVisibleException;
import dev.slotcache.codec.Codec;
import dev.slotcache.codec.CodecException;
import dev.slotcache.store.Record;
import dev.slotcache.store.SegmentStore;
import javax.cache.CacheException;

/**
 * The keys and values of one cache as the store holds them: the spec's type checks, encoding into framed records
 * (with the size cap), and decoding, where bytes that are not ours or no longer decode are a miss removed by
 * compare-and-delete, and an entry of a class this JVM cannot load is a miss that stays. Thread-safe.
 */
final class EntryValues<K, V> {

  private final String cacheName;
  private final Codec codec;
  private final SegmentStore store;
  private final Class<?> keyType;
  private final Class<?> valueType;
  private final int maxValueBytes;
  private final ClassLoader classLoader;
  private final UnreadableEntries unreadable;

  EntryValues(String cacheName, Codec codec, SegmentStore store, Class<?> keyType, Class<?> valueType,
      int maxValueBytes, ClassLoader classLoader) {
    this.cacheName = requireNonNull(cacheName, "cacheName");
    this.codec = requireNonNull(codec, "codec");
    this.store = requireNonNull(store, "store");
    this.keyType = keyType == Object.class ? null : keyType;
    this.valueType = valueType == Object.class ? null : valueType;
    this.maxValueBytes = maxValueBytes;
    this.classLoader = classLoader;
    this.unreadable = new UnreadableEntries(cacheName);
  }

  /** The spec's checks of a key, before any I/O: not null, of the configured type. */
  void checkKey(Object key) {
    requireNonNull(key, "key");
    if (keyType != null && !keyType.isInstance(key)) {
      throw new ClassCastException("cache '" + cacheName + "' has key type " + keyType.getName() + ", not "
          + key.getClass().getName());
    }
  }

  void checkValue(Object value) {
    requireNonNull(value, "value");
    if (valueType != null && !valueType.isInstance(value)) {
      throw new ClassCastException("cache '" + cacheName + "' has value type " + valueType.getName() + ", not "
          + value.getClass().getName());
    }
  }

  byte[] encodeKey(K key) {
    checkKey(key);
    try {
      return codec.encodeKey(key);
    } catch (CodecException e) {
      throw new CacheException("cache '" + cacheName + "': " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  K decodeKey(byte[] encoded) {
    return (K) codec.decodeKey(encoded);
  }

  /** The value's payload as the store compares it (no header). */
  byte[] encodePayload(V value) {
    return encode(value, 0);
  }

  /** A framed record of the value, with a fresh stamp. */
  byte[] encodeRecord(K key, V value) {
    requireNonNull(key, "key");
    checkValue(value);
    return Record.frameInPlace(encode(value, Record.HEADER_LENGTH));
  }

  private byte[] encode(V value, int headroom) {
    byte[] bytes;
    try {
      bytes = codec.encodeValue(value, headroom);
    } catch (CodecException e) {
      throw new CacheException("cache '" + cacheName + "': " + e.getMessage(), e);
    }
    if (bytes.length - headroom > maxValueBytes) {
      throw new CacheException("cache '" + cacheName + "': a value of " + value.getClass().getName() + " encodes to "
          + (bytes.length - headroom) + " bytes, more than slotcache.max-value-bytes (" + maxValueBytes + ")");
    }
    return bytes;
  }

  /**
   * The value in a stored record; null for a miss. Bytes that are not ours or do not decode (another
   * application's data, a class that changed after a deploy) are a miss, and are removed only if they are
   * still the same bytes, so a concurrent good write is never lost.
   */
  @SuppressWarnings("unchecked")
  V decode(byte[] k, byte[] record) {
    if (record == null || record == SegmentStore.PRESENT) {
      return null;
    }
    String reason;
    if (Record.isRecord(record)) {
      try {
        Object value = codec.decodeValue(record, Record.HEADER_LENGTH);
        if (valueType == null || valueType.isInstance(value)) {
          return (V) value;
        }
        reason = "a " + value.getClass().getName() + " where the cache holds " + valueType.getName();
      } catch (ClassNotVisibleException e) {
        unreadable.classNotVisible(e.className(), classLoader);
        return null;
      } catch (CodecException e) {
        reason = e.getMessage();
      }
    } else {
      reason = "bytes without Slotcache's value header";
    }
    unreadable.found(reason);
    store.deleteIfSame(k, record);
    return null;
  }

  /** An old value returned by a write: null when absent or unreadable (no clean-up: it was just replaced). */
  @SuppressWarnings("unchecked")
  V decodeQuietly(byte[] record) {
    if (record == null || record == SegmentStore.PRESENT || !Record.isRecord(record)) {
      return null;
    }
    try {
      Object value = codec.decodeValue(record, Record.HEADER_LENGTH);
      return valueType == null || valueType.isInstance(value) ? (V) value : null;
    } catch (CodecException e) {
      return null;
    }
  }
}
