package dev.slotcache.codec;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.cache.CacheException;

/**
 * One cache's values as stored records and back: {@code [header][payload]}, where the header belongs to the store
 * (a {@link Header}: its length, how to recognise it, how to write a fresh one) and the payload is the
 * {@link Codec}'s encoding of the value.
 *
 * <p>Encoding leaves room for the header, so a value is copied once, and refuses payloads larger than
 * {@code slotcache.max-value-bytes}. Decoding classifies what it finds, so that the cache only has to act:
 * <ul>
 *   <li>a value of the cache's value type: returned as it is;</li>
 *   <li>bytes that will never be a value here — without the header, not a valid encoding, a class that changed
 *       incompatibly or is outside the {@link ClassPolicy}, a value of another type: a {@link Miss} that is
 *       {@linkplain Miss#removable() removable} (the cache deletes the record if it is still the same);</li>
 *   <li>bytes naming a class the codec's class loader cannot load ({@link ClassNotVisibleException}): a
 *       {@link Miss} to keep, since a JVM that sees the class reads the record.</li>
 * </ul>
 * Neither path allocates beyond what the codec does; only a miss creates an object.
 *
 * <p>Thread-safe, as the {@link Codec} and the {@link Header}'s functions are.
 */
public final class ValueFraming {

  private static final Miss WITHOUT_HEADER = new Miss("bytes without Slotcache's value header", null);

  private final String cacheName;
  private final Codec codec;
  private final Class<?> valueType;
  private final int maxValueBytes;
  private final int headerLength;
  private final Predicate<byte[]> hasHeader;
  private final Consumer<byte[]> writeHeader;

  /**
   * @param cacheName     names the cache in the messages of encoding failures
   * @param codec         encodes and decodes payloads
   * @param valueType     the cache's value type; {@code Object.class} (or null) accepts every value
   * @param maxValueBytes largest payload {@link #encodeRecord} and {@link #encodePayload} accept
   *                      ({@code slotcache.max-value-bytes})
   * @param header        the store's record header
   */
  public ValueFraming(String cacheName, Codec codec, Class<?> valueType, int maxValueBytes, Header header) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.valueType = valueType == Object.class ? null : valueType;
    if (maxValueBytes <= 0) {
      throw new IllegalArgumentException("maxValueBytes must be positive, was " + maxValueBytes);
    }
    this.maxValueBytes = maxValueBytes;
    Objects.requireNonNull(header, "header");
    this.headerLength = header.length();
    this.hasHeader = header.isPresent();
    this.writeHeader = header.writeFresh();
  }

  /**
   * The record storing {@code value}: a fresh header, then the value's encoding. The caller has checked the value
   * (not null, of the cache's value type: {@code ClassCastException} is the cache's to throw).
   *
   * @throws CacheException naming the cache, when the codec cannot encode the value (caused by its
   *     {@link CodecException}) or the encoding is larger than {@code slotcache.max-value-bytes}
   */
  public byte[] encodeRecord(Object value) {
    byte[] record = encode(value, headerLength);
    writeHeader.accept(record);
    return record;
  }

  /**
   * The value's encoding alone, as it follows the header in a record: what a conditional replace compares with
   * the stored payload.
   *
   * @throws CacheException as {@link #encodeRecord} does
   */
  public byte[] encodePayload(Object value) {
    return encode(value, 0);
  }

  private byte[] encode(Object value, int headroom) {
    Objects.requireNonNull(value, "value");
    byte[] bytes;
    try {
      bytes = codec.encodeValue(value, headroom);
    } catch (CodecException e) {
      throw e.inCache(cacheName);
    }
    int payload = bytes.length - headroom;
    if (payload > maxValueBytes) {
      throw new CacheException("cache '" + cacheName + "': a value of " + value.getClass().getName() + " encodes to "
          + payload + " bytes, more than slotcache.max-value-bytes (" + maxValueBytes + ")");
    }
    return bytes;
  }

  /**
   * The value stored in {@code record}, or a {@link Miss} saying why there is none and whether to remove the
   * record. Never returns null, and never returns a {@code Miss} that was itself stored as a value.
   */
  public Object decode(byte[] record) {
    Objects.requireNonNull(record, "record");
    if (!hasHeader.test(record)) {
      return WITHOUT_HEADER;
    }
    Object value;
    try {
      value = codec.decodeValue(record, headerLength);
    } catch (ClassNotVisibleException e) {
      return new Miss(e.getMessage(), e.className());
    } catch (CodecException e) {
      return new Miss(e.getMessage(), null);
    }
    if (value == null) {
      return new Miss("an encoded null, which no cache holds", null);
    }
    if (value instanceof Miss) {
      return new Miss("a " + Miss.class.getName() + ", which no cache holds", null); // not the stored one's reason
    }
    if (valueType != null && !valueType.isInstance(value)) {
      return new Miss("a " + value.getClass().getName() + " where the cache holds " + valueType.getName(), null);
    }
    return value;
  }

  /**
   * The value stored in {@code record}, or null when there is none ({@link #decode} gives a {@link Miss}): for
   * an old value a write returns, whose record is gone already.
   */
  public Object decodeOrNull(byte[] record) {
    Object decoded = decode(record);
    return decoded instanceof Miss ? null : decoded;
  }

  /**
   * The store's record header.
   *
   * @param length     bytes the header takes at the start of a record
   * @param isPresent  whether bytes start with such a header (bytes that do not are not a record)
   * @param writeFresh writes a fresh header into the first {@code length} bytes of a record
   */
  public record Header(int length, Predicate<byte[]> isPresent, Consumer<byte[]> writeFresh) {

    public Header {
      if (length < 0) {
        throw new IllegalArgumentException("length must not be negative, was " + length);
      }
      Objects.requireNonNull(isPresent, "isPresent");
      Objects.requireNonNull(writeFresh, "writeFresh");
    }
  }

  /** A record that holds no value for this cache, and what to do with it. Immutable. */
  public static final class Miss {

    private final String reason;
    private final String className;

    private Miss(String reason, String className) {
      this.reason = reason;
      this.className = className;
    }

    /**
     * True when the record will never be a value here and may be removed (if it is still the same bytes); false
     * when it names a class this codec's class loader cannot load, and stays for JVMs that see the class.
     */
    public boolean removable() {
      return className == null;
    }

    /** Why the record holds no value: the class or format problem, never the value. */
    public String reason() {
      return reason;
    }

    /** The class that could not be loaded, when not {@link #removable()}; otherwise null. */
    public String className() {
      return className;
    }

    @Override
    public String toString() {
      return "Miss[" + (removable() ? "remove" : "keep") + ": " + reason + "]";
    }
  }
}
