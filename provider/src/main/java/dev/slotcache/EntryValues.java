package dev.slotcache;

import static java.util.Objects.requireNonNull;

import dev.slotcache.codec.Codec;
import dev.slotcache.codec.CodecException;
import dev.slotcache.codec.ValueFraming;
import dev.slotcache.internal.store.Record;
import dev.slotcache.internal.store.CacheStore;

/**
 * The keys and values of one cache as the store holds them: the spec's type checks, encoding into framed records
 * (with the size cap), and decoding, where bytes that are not ours or no longer decode are a miss removed by
 * compare-and-delete, and an entry of a class this JVM cannot load is a miss that stays. Thread-safe.
 */
final class EntryValues<K, V> {

  private final String cacheName;
  private final Codec codec;
  private final CacheStore store;
  private final Class<?> keyType;
  private final Class<?> valueType;
  private final ValueFraming framing;
  private final ClassLoader classLoader;
  private final UnreadableEntries unreadable;

  EntryValues(String cacheName, Codec codec, CacheStore store, Class<?> keyType, Class<?> valueType,
      int maxValueBytes, ClassLoader classLoader) {
    this.cacheName = requireNonNull(cacheName, "cacheName");
    this.codec = requireNonNull(codec, "codec");
    this.store = requireNonNull(store, "store");
    this.keyType = keyType == Object.class ? null : keyType;
    this.valueType = valueType == Object.class ? null : valueType;
    this.framing = new ValueFraming(cacheName, codec, valueType, maxValueBytes,
        new ValueFraming.Header(Record.HEADER_LENGTH, Record::isRecord, Record::frameInPlace));
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
      throw e.inCache(cacheName);
    }
  }

  @SuppressWarnings("unchecked")
  K decodeKey(byte[] encoded) {
    return (K) codec.decodeKey(encoded);
  }

  /** The value's payload as the store compares it (no header). */
  byte[] encodePayload(V value) {
    return framing.encodePayload(value);
  }

  /** A framed record of the value, with a fresh stamp. */
  byte[] encodeRecord(K key, V value) {
    requireNonNull(key, "key");
    checkValue(value);
    return framing.encodeRecord(value);
  }

  /**
   * The value in a stored record; null for a miss. Bytes that are not ours or do not decode (another
   * application's data, a class that changed after a deploy) are a miss, and are removed only if they are
   * still the same bytes, so a concurrent good write is never lost. An entry of a class this JVM cannot load is a
   * miss that stays: a JVM that sees the class reads it.
   */
  @SuppressWarnings("unchecked")
  V decode(byte[] k, byte[] record) {
    if (record == null || record == CacheStore.PRESENT) {
      return null;
    }
    Object read = framing.decode(record);
    if (read instanceof ValueFraming.Miss miss) {
      if (miss.removable()) {
        unreadable.found(miss.reason());
        store.deleteIfSame(k, record);
      } else {
        unreadable.classNotVisible(miss.className(), classLoader);
      }
      return null;
    }
    return (V) read;
  }

  /** An old value returned by a write: null when absent or unreadable (no clean-up: it was just replaced). */
  @SuppressWarnings("unchecked")
  V decodeQuietly(byte[] record) {
    return record == null || record == CacheStore.PRESENT ? null : (V) framing.decodeOrNull(record);
  }
}
