package dev.slotcache.codec;

/**
 * Turns cache keys and values into the bytes stored in Redis and back.
 *
 * <p>Contracts every implementation keeps:
 * <ul>
 *   <li>keys are encoded <em>canonically</em>: two keys that are {@code equals} encode to identical bytes, in
 *       every JVM, because the bytes are the address of the entry;</li>
 *   <li>values round-trip to an equal, independent copy (store-by-value);</li>
 *   <li>decoding never trusts its input: bytes that are not a valid encoding raise {@link CodecException},
 *       never another exception type;</li>
 *   <li>bytes that name a class the codec's class loader cannot load raise its subclass
 *       {@link ClassNotVisibleException}: they may be valid for a JVM that sees the class.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface Codec {

  /** Encodes a key canonically; throws {@link CodecException} when the key cannot be encoded. */
  byte[] encodeKey(Object key);

  /** Decodes bytes produced by {@link #encodeKey}; throws {@link CodecException} on anything else. */
  Object decodeKey(byte[] bytes);

  /** Encodes a value; throws {@link CodecException} when the value cannot be encoded. */
  byte[] encodeValue(Object value);

  /** Decodes bytes produced by {@link #encodeValue}; throws {@link CodecException} on anything else. */
  Object decodeValue(byte[] bytes);

  /**
   * Encodes a value after {@code headroom} zero bytes the caller fills in (a record header), sparing a copy.
   */
  default byte[] encodeValue(Object value, int headroom) {
    byte[] encoded = encodeValue(value);
    byte[] bytes = new byte[headroom + encoded.length];
    System.arraycopy(encoded, 0, bytes, headroom, encoded.length);
    return bytes;
  }

  /** Decodes the encoded value that starts at {@code offset} of {@code bytes}. */
  default Object decodeValue(byte[] bytes, int offset) {
    return decodeValue(java.util.Arrays.copyOfRange(bytes, offset, bytes.length));
  }
}
