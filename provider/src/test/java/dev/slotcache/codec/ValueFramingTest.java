package dev.slotcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.CompiledValueClass;
import dev.slotcache.internal.store.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ValueFraming} over a real {@link KryoCodec}, with a small header standing in for the store's. */
class ValueFramingTest {

  private static final int HEADER_LENGTH = 4;

  private final KryoCodec codec = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), 1 << 20);
  private final ValueFraming strings = framing(codec, String.class, 1 << 20);

  /** Two marker bytes and a two-byte counter, so that each fresh header differs from the one before. */
  private static final ValueFraming.Header TEST_HEADER = new ValueFraming.Header(HEADER_LENGTH,
      bytes -> bytes.length >= HEADER_LENGTH && bytes[0] == 'H' && bytes[1] == 'D',
      new Consumer<>() {
        private final AtomicInteger written = new AtomicInteger();

        @Override
        public void accept(byte[] record) {
          int n = written.incrementAndGet();
          record[0] = 'H';
          record[1] = 'D';
          record[2] = (byte) (n >>> 8);
          record[3] = (byte) n;
        }
      });

  private static ValueFraming framing(Codec codec, Class<?> valueType, int maxValueBytes) {
    return new ValueFraming("orders", codec, valueType, maxValueBytes, TEST_HEADER);
  }

  @Test
  void encodeRecord_writesAFreshHeaderBeforeTheCodecsEncoding_andDecodesToAnEqualValue() {
    byte[] first = strings.encodeRecord("order-17");
    byte[] second = strings.encodeRecord("order-17");
    assertArrayEquals(codec.encodeValue("order-17"), Arrays.copyOfRange(first, HEADER_LENGTH, first.length));
    assertEquals('H', first[0]);
    assertEquals('D', first[1]);
    assertFalse(Arrays.equals(Arrays.copyOf(first, HEADER_LENGTH), Arrays.copyOf(second, HEADER_LENGTH)),
        "every record gets a fresh header");
    assertEquals("order-17", strings.decode(first));
  }

  @Test
  void encodePayload_isTheRecordWithoutItsHeader() {
    byte[] record = strings.encodeRecord("order-17");
    assertArrayEquals(Arrays.copyOfRange(record, HEADER_LENGTH, record.length), strings.encodePayload("order-17"));
  }

  @Test
  void encode_payloadLargerThanTheCap_failsNamingCacheClassSizeAndSetting() {
    // A byte[] value's payload is one format byte and its bytes.
    ValueFraming small = framing(codec, Object.class, 10);
    String expected = "cache 'orders': a value of [B encodes to 11 bytes, more than slotcache.max-value-bytes (10)";
    assertEquals(expected, assertThrows(CacheException.class, () -> small.encodeRecord(new byte[10])).getMessage());
    assertEquals(expected, assertThrows(CacheException.class, () -> small.encodePayload(new byte[10])).getMessage());
  }

  @Test
  void encode_payloadOfExactlyTheCap_isAccepted() {
    ValueFraming small = framing(codec, Object.class, 10);
    byte[] record = small.encodeRecord(new byte[9]);
    assertEquals(HEADER_LENGTH + 10, record.length, "the header does not count against the cap");
    assertArrayEquals(new byte[9], (byte[]) small.decode(record));
  }

  @Test
  void encode_valueTheCodecRefuses_failsNamingTheCache_causedByTheCodecsException() {
    CacheException e = assertThrows(CacheException.class, () -> framing(codec, Object.class, 1 << 20)
        .encodeRecord(new Holder(Thread.currentThread())));
    CodecException cause = assertInstanceOf(CodecException.class, e.getCause());
    assertEquals("cache 'orders': " + cause.getMessage(), e.getMessage());
    assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
  }

  @Test
  void decode_bytesWithoutTheHeader_isARemovableMiss() {
    ValueFraming.Miss miss = assertInstanceOf(ValueFraming.Miss.class, strings.decode(codec.encodeValue("x")));
    assertTrue(miss.removable());
    assertNull(miss.className());
    assertEquals("bytes without Slotcache's value header", miss.reason());
  }

  @Test
  void decode_damagedPayload_isARemovableMissWithTheCodecsReason() {
    byte[] record = strings.encodeRecord("order-17");
    byte[] truncated = Arrays.copyOf(record, record.length - 2);
    CodecException failure = assertThrows(CodecException.class, () -> codec.decodeValue(truncated, HEADER_LENGTH));
    ValueFraming.Miss miss = assertInstanceOf(ValueFraming.Miss.class, strings.decode(truncated));
    assertTrue(miss.removable());
    assertEquals(failure.getMessage(), miss.reason());
  }

  @Test
  void decode_valueOfAnotherType_isARemovableMissNamingBothTypes_unlessTheCacheHoldsAnyType() {
    byte[] record = framing(codec, Object.class, 1 << 20).encodeRecord(17L);
    ValueFraming.Miss miss = assertInstanceOf(ValueFraming.Miss.class, strings.decode(record));
    assertTrue(miss.removable());
    assertEquals("a java.lang.Long where the cache holds java.lang.String", miss.reason());
    assertEquals(17L, framing(codec, Object.class, 1 << 20).decode(record));
    assertEquals(17L, framing(codec, null, 1 << 20).decode(record));
    assertEquals(17L, framing(codec, Number.class, 1 << 20).decode(record));
  }

  @Test
  void decode_classTheLoaderCannotSee_isAMissToKeep_namingTheClass(@TempDir Path dir) throws Exception {
    try (CompiledValueClass ticket = CompiledValueClass.compile(dir)) {
      KryoCodec seeing = new KryoCodec(ticket.loader(), ClassPolicy.denyList(), 1 << 20);
      byte[] record = framing(seeing, Object.class, 1 << 20)
          .encodeRecord(new ArrayList<>(List.of(ticket.newInstance("a"))));

      ValueFraming.Miss miss = assertInstanceOf(ValueFraming.Miss.class, framing(codec, Object.class, 1 << 20)
          .decode(record));
      assertFalse(miss.removable());
      assertEquals(ticket.name(), miss.className());
      assertTrue(miss.reason().contains(ticket.name()), miss.reason());
      assertEquals(List.of(ticket.newInstance("a")), framing(seeing, Object.class, 1 << 20).decode(record));
    }
  }

  @Test
  void decode_classOutsideTheAllowList_isARemovableMiss() {
    byte[] record = framing(codec, Object.class, 1 << 20).encodeRecord(new Point(1, 2));
    KryoCodec strict = new KryoCodec(getClass().getClassLoader(), ClassPolicy.parse("com.example.**"), 1 << 20);
    ValueFraming.Miss miss = assertInstanceOf(ValueFraming.Miss.class, framing(strict, Object.class, 1 << 20)
        .decode(record));
    assertTrue(miss.removable());
    assertTrue(miss.reason().contains(Point.class.getName()) && miss.reason().contains("allowed-classes"),
        miss.reason());
  }

  @Test
  void decode_anEncodedNull_isARemovableMiss_forTypedAndUntypedCaches() {
    byte[] record = new byte[HEADER_LENGTH + 2];
    TEST_HEADER.writeFresh().accept(record);
    record[HEADER_LENGTH] = KryoCodec.VALUE_FORMAT; // then Kryo's null: no cache stores one
    assertNull(codec.decodeValue(record, HEADER_LENGTH));
    for (ValueFraming framing : List.of(strings, framing(codec, Object.class, 1 << 20))) {
      ValueFraming.Miss miss = assertInstanceOf(ValueFraming.Miss.class, framing.decode(record));
      assertTrue(miss.removable());
      assertEquals("an encoded null, which no cache holds", miss.reason());
    }
  }

  @Test
  void decode_aMissStoredAsAValue_isAMissOfItsOwn_notTheStoredOne() {
    ValueFraming any = framing(codec, Object.class, 1 << 20);
    ValueFraming.Miss stored = (ValueFraming.Miss) any.decode(codec.encodeValue("no header"));
    ValueFraming.Miss miss = assertInstanceOf(ValueFraming.Miss.class, any.decode(any.encodeRecord(stored)));
    assertTrue(miss.removable());
    assertEquals("a " + ValueFraming.Miss.class.getName() + ", which no cache holds", miss.reason());
  }

  @Test
  void decodeOrNull_returnsTheValue_orNullForEveryMiss() {
    assertEquals("order-17", strings.decodeOrNull(strings.encodeRecord("order-17")));
    assertNull(strings.decodeOrNull(codec.encodeValue("no header")));
    assertNull(strings.decodeOrNull(framing(codec, Object.class, 1 << 20).encodeRecord(17L)));
  }

  @Test
  void withTheStoresRecordHeader_recordsAreRecognisedAndRoundTrip() {
    ValueFraming framing = new ValueFraming("orders", codec, String.class, 1 << 20,
        new ValueFraming.Header(Record.HEADER_LENGTH, Record::isRecord, Record::frameInPlace));
    byte[] record = framing.encodeRecord("order-17");
    assertTrue(Record.isRecord(record));
    assertEquals("order-17", framing.decode(record));
    assertArrayEquals(framing.encodePayload("order-17"),
        Arrays.copyOfRange(record, Record.HEADER_LENGTH, record.length));
  }

  @Test
  void decode_returnsTheSameMissForEveryRecordWithoutHeader() {
    assertSame(strings.decode(new byte[0]), strings.decode(codec.encodeValue("x")));
  }

  @Test
  void construction_refusesANonPositiveCapAndANegativeHeaderLength() {
    assertThrows(IllegalArgumentException.class, () -> framing(codec, String.class, 0));
    assertThrows(IllegalArgumentException.class, () -> new ValueFraming.Header(-1, b -> true, b -> { }));
  }

  record Point(int x, int y) {
  }

  static final class Holder {
    final Object content;

    Holder(Object content) {
      this.content = content;
    }
  }
}
