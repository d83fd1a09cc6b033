package dev.slotcache.internal.store;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The framing of every stored value: {@code [0x5C magic][format 1][8-byte stamp][payload]}.
 *
 * <p>The stamp is a random number written with every new value; compare-and-set operations compare the
 * 10-byte header (magic, format, stamp) instead of whole values. Random stamps, unlike counters, need no
 * read before a plain write, and let a writer whose reply was lost recognise its own write afterwards.
 */
public final class Record {

  /** Length of the header compared by compare-and-set. */
  public static final int HEADER_LENGTH = 10;

  private static final byte MAGIC = 0x5C;
  private static final byte FORMAT = 1;

  private Record() {
  }

  /** Writes a fresh header into the first {@link #HEADER_LENGTH} bytes of {@code record}, and returns it. */
  public static byte[] frameInPlace(byte[] record) {
    record[0] = MAGIC;
    record[1] = FORMAT;
    long stamp = ThreadLocalRandom.current().nextLong();
    for (int i = 0; i < 8; i++) {
      record[2 + i] = (byte) (stamp >>> (56 - 8 * i));
    }
    return record;
  }

  /** Whether {@code bytes} carry our header. Anything else under a cache key is foreign data. */
  public static boolean isRecord(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER_LENGTH && bytes[0] == MAGIC && bytes[1] == FORMAT;
  }

  /** The header (magic, format, stamp) of a record: its version for compare-and-set. */
  public static byte[] header(byte[] record) {
    return Arrays.copyOf(record, HEADER_LENGTH);
  }
}
