package dev.slotcache.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * The default {@link Codec}: Kryo 5, pooled, no registration required, classes without a no-arg constructor
 * supported, decoding guarded by a {@link ClassPolicy} and a size cap.
 *
 * <p><b>Keys.</b> {@code String}, {@code Integer}, {@code Long} and {@code UUID} keys are written readably
 * (so {@code redis-cli} shows {@code alice}, {@code ~l17}, {@code ~u0f8f…}); a string that itself starts with
 * {@code ~}, or is not valid UTF-16, gets the {@code ~s} / Kryo form so no two keys collide. Other keys are
 * {@code ~k} followed by a canonical Kryo encoding: no back-references (equal keys may share or not share
 * sub-objects) and the elements of unordered sets and maps written in a sorted order.
 *
 * <p><b>Values.</b> A {@code byte[]} value is one format byte followed by its bytes. Any other value: one format
 * byte, then Kryo's {@code writeClassAndObject} output with references on (cycles
 * and shared sub-objects survive). Classes without a dedicated serializer are written field by field with
 * their field names ({@code CompatibleFieldSerializer}, chunked): after a deploy that adds or removes fields,
 * older entries still decode (new fields keep their defaults), and a renamed field is left at its default —
 * never filled with another field's value. A field whose type changed makes the entry undecodable (a miss).
 * Throwables are written with Java serialization, decoded under the same policy ({@link ThrowableSerializer}).
 *
 * <p><b>Class loader.</b> Every class a key or value is written with must be the class the codec's class loader
 * finds under its name (checked once per class, when Kryo first writes that name), or the encoding fails: an entry
 * whose class the readers cannot load could be written but never read back. Bytes naming a class that loader cannot
 * load raise {@link ClassNotVisibleException}.
 *
 * <p>Thread-safe: Kryo instances come from a pool ({@link PooledKryo}, which also translates Kryo's failures).
 */
public final class KryoCodec implements Codec {

  /** First byte of every encoded value; a new wire format gets a new number. */
  static final byte VALUE_FORMAT = 2;

  /** First byte of a {@code byte[]} value stored as it is: no Kryo framing, one copy each way. */
  static final byte RAW_BYTES_FORMAT = 3;

  private static final byte TILDE = '~';

  private final int maxDecodeBytes;
  private final PooledKryo valueKryo;
  private final PooledKryo keyKryo;

  /**
   * @param classLoader    loads the classes named in encoded bytes
   * @param classPolicy    which classes may be decoded
   * @param maxDecodeBytes bytes larger than this are refused before decoding
   */
  public KryoCodec(ClassLoader classLoader, ClassPolicy classPolicy, int maxDecodeBytes) {
    Objects.requireNonNull(classLoader, "classLoader");
    Objects.requireNonNull(classPolicy, "classPolicy");
    if (maxDecodeBytes <= 0) {
      throw new IllegalArgumentException("maxDecodeBytes must be positive, was " + maxDecodeBytes);
    }
    this.maxDecodeBytes = maxDecodeBytes;
    KryoFactory factory = new KryoFactory(classLoader, classPolicy);
    int poolSize = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
    this.valueKryo = new PooledKryo(poolSize, () -> factory.newKryo(KryoCustomizer.Purpose.VALUES), classLoader);
    this.keyKryo = new PooledKryo(poolSize, () -> factory.newKryo(KryoCustomizer.Purpose.KEYS), classLoader);
  }

  @Override
  public byte[] encodeKey(Object key) {
    Objects.requireNonNull(key, "key");
    if (key instanceof String s) {
      if ((s.isEmpty() || s.charAt(0) != TILDE) && isWellFormed(s)) {
        return s.getBytes(StandardCharsets.UTF_8);
      }
      if (isWellFormed(s)) {
        return prefixed('s', s);
      }
    } else if (key instanceof Long l) {
      return prefixed('l', Long.toString(l));
    } else if (key instanceof Integer i) {
      return prefixed('i', Integer.toString(i));
    } else if (key instanceof UUID u) {
      return prefixed('u', u.toString());
    }
    byte[] bytes = keyKryo.write(key, 2, "key");
    bytes[0] = TILDE;
    bytes[1] = 'k';
    return bytes;
  }

  @Override
  public Object decodeKey(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 2 || bytes[0] != TILDE) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    String rest = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_8);
    try {
      switch (bytes[1]) {
        case 's': return rest;
        case 'l': return Long.parseLong(rest);
        case 'i': return Integer.parseInt(rest);
        case 'u': return UUID.fromString(rest);
        case 'k': return decode(keyKryo, bytes, 2, "key");
        default: throw new CodecException("not an encoded key: unknown type marker '~" + (char) bytes[1] + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new CodecException("not an encoded key: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] encodeValue(Object value) {
    return encodeValue(value, 0);
  }

  @Override
  public byte[] encodeValue(Object value, int headroom) {
    Objects.requireNonNull(value, "value");
    if (value instanceof byte[] raw) {
      byte[] bytes = new byte[headroom + 1 + raw.length];
      bytes[headroom] = RAW_BYTES_FORMAT;
      System.arraycopy(raw, 0, bytes, headroom + 1, raw.length);
      return bytes;
    }
    byte[] bytes = valueKryo.write(value, headroom + 1, "value");
    bytes[headroom] = VALUE_FORMAT;
    return bytes;
  }

  @Override
  public Object decodeValue(byte[] bytes) {
    return decodeValue(bytes, 0);
  }

  @Override
  public Object decodeValue(byte[] bytes, int offset) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > offset && bytes[offset] == RAW_BYTES_FORMAT) {
      if (bytes.length - offset - 1 > maxDecodeBytes) {
        throw new CodecException("refusing to decode a value of " + bytes.length
            + " bytes: larger than the limit of " + maxDecodeBytes + " bytes (slotcache.max-value-bytes)");
      }
      return Arrays.copyOfRange(bytes, offset + 1, bytes.length);
    }
    if (bytes.length <= offset || bytes[offset] != VALUE_FORMAT) {
      throw new CodecException("not an encoded value: unknown format "
          + (bytes.length <= offset ? "(empty)" : Integer.toString(bytes[offset] & 0xff)));
    }
    return decode(valueKryo, bytes, offset + 1, "value");
  }

  private Object decode(PooledKryo kryo, byte[] bytes, int offset, String what) {
    if (bytes.length - offset > maxDecodeBytes) {
      throw new CodecException("refusing to decode a " + what + " of " + bytes.length
          + " bytes: larger than the limit of " + maxDecodeBytes + " bytes (slotcache.max-value-bytes)");
    }
    return kryo.read(bytes, offset, what);
  }

  private static byte[] prefixed(char type, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[body.length + 2];
    bytes[0] = TILDE;
    bytes[1] = (byte) type;
    System.arraycopy(body, 0, bytes, 2, body.length);
    return bytes;
  }

  /** True when {@code s} survives a UTF-8 round trip (no unpaired surrogates). */
  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
