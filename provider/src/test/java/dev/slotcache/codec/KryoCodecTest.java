package dev.slotcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.CompiledValueClass;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KryoCodecTest {

  private final KryoCodec codec = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), 1 << 20);

  @Test
  void simpleKeys_areReadable() {
    assertEquals("alice", text(codec.encodeKey("alice")));
    assertEquals("~l17", text(codec.encodeKey(17L)));
    assertEquals("~i17", text(codec.encodeKey(17)));
    UUID id = UUID.randomUUID();
    assertEquals("~u" + id, text(codec.encodeKey(id)));
    assertEquals("~s~tilde", text(codec.encodeKey("~tilde")));
  }

  @Test
  void keys_roundTrip_andDistinctKeysNeverCollide() {
    List<Object> keys = List.of("alice", "~i17", "17", 17, 17L, (short) 17, "", "~", "\uD800", "\uD800x",
        UUID.nameUUIDFromBytes(new byte[] {1}), new Date(5), List.of(1, 2), new Point(1, 2), 'c', 1.5d);
    Set<String> encodings = new HashSet<>();
    for (Object key : keys) {
      byte[] bytes = codec.encodeKey(key);
      assertEquals(key, codec.decodeKey(bytes), "round trip of " + key);
      assertTrue(encodings.add(new String(bytes, StandardCharsets.ISO_8859_1)), "collision for " + key);
    }
  }

  @Test
  void equalKeys_encodeIdentically_whateverTheirInternalOrder() {
    Set<String> a = new HashSet<>();
    Set<String> b = new HashSet<>(4);
    for (int i = 0; i < 100; i++) {
      a.add("e" + i);
    }
    for (int i = 99; i >= 0; i--) {
      b.add("e" + i);
    }
    assertEquals(a, b);
    assertArrayEquals(codec.encodeKey(a), codec.encodeKey(b));
    Map<String, Integer> m1 = new LinkedHashMap<>();
    Map<String, Integer> m2 = new LinkedHashMap<>();
    m1.put("x", 1);
    m1.put("y", 2);
    m2.put("y", 2);
    m2.put("x", 1);
    assertArrayEquals(codec.encodeKey(m1), codec.encodeKey(m2));
    assertArrayEquals(codec.encodeKey(new Date(42)), codec.encodeKey(new Date(42)));
    // Shared sub-objects versus equal copies: no back-references in keys.
    String shared = new String("s");
    assertArrayEquals(codec.encodeKey(new Pair(shared, shared)), codec.encodeKey(new Pair("s", new String("s"))));
    assertEquals(new Pair("s", "s"), codec.decodeKey(codec.encodeKey(new Pair("s", "s"))));
    assertEquals(a, codec.decodeKey(codec.encodeKey(a)));
  }

  @Test
  void values_ofJdkTypes_roundTripWithoutAddOpens() {
    List<Object> values = List.of("text", 42, 4.2, new BigDecimal("1.10"), UUID.randomUUID(),
        URI.create("https://example.com/a?b"), Instant.now(), LocalDate.of(2026, 1, 2), Duration.ofSeconds(5),
        new AtomicInteger(7), new AtomicLong(8), List.of(1, 2, 3), Map.of("a", 1), Set.of("x"), Optional.of("o"),
        new ArrayList<>(List.of("m")), new HashMap<>(Map.of("k", "v")), new Point(3, 4), new int[] {1, 2},
        new NoDefaultConstructor("only", 1), new Date(3));
    for (Object value : values) {
      Object copy = codec.decodeValue(codec.encodeValue(value));
      if (value instanceof AtomicInteger ai) {
        assertEquals(ai.get(), ((AtomicInteger) copy).get());
      } else if (value instanceof AtomicLong al) {
        assertEquals(al.get(), ((AtomicLong) copy).get());
      } else if (value instanceof int[] ints) {
        assertArrayEquals(ints, (int[]) copy);
      } else {
        assertEquals(value, copy, "round trip of " + value.getClass());
      }
    }
    Pattern pattern = (Pattern) codec.decodeValue(codec.encodeValue(Pattern.compile("a+b", Pattern.CASE_INSENSITIVE)));
    assertTrue(pattern.matcher("AAB").matches());
  }

  @Test
  void exceptions_roundTripWithMessageCauseSuppressedAndStackTrace() {
    IllegalStateException thrown = new IllegalStateException("boom", new java.io.IOException("disk"));
    thrown.addSuppressed(new AppException("late", 7));
    IllegalStateException copy = (IllegalStateException) codec.decodeValue(codec.encodeValue(thrown));
    assertNotSame(thrown, copy);
    assertEquals("boom", copy.getMessage());
    assertEquals("disk", copy.getCause().getMessage());
    assertEquals(java.io.IOException.class, copy.getCause().getClass());
    assertEquals(7, ((AppException) copy.getSuppressed()[0]).code);
    assertArrayEquals(thrown.getStackTrace(), copy.getStackTrace());
    Holder holder = (Holder) codec.decodeValue(codec.encodeValue(new Holder(new AppException("inside", 1))));
    assertEquals("inside", ((AppException) holder.content).getMessage());
  }

  @Test
  void exceptions_decodeOnlyClassesThePolicyPermits() {
    byte[] encoded = codec.encodeValue(new IllegalStateException("outer", new AppException("inner", 2)));
    KryoCodec strict = new KryoCodec(getClass().getClassLoader(), ClassPolicy.parse("com.example.**"), 1 << 20);
    CodecException e = assertThrows(CodecException.class, () -> strict.decodeValue(encoded));
    assertTrue(e.getMessage().contains(AppException.class.getName()), e.getMessage());
    assertEquals("outer", ((Throwable) strict.decodeValue(codec.encodeValue(new IllegalStateException("outer"))))
        .getMessage());
  }

  @Test
  void values_areCopies_andKeepSharedReferencesAndCycles() {
    Node a = new Node("a");
    Node b = new Node("b");
    a.next = b;
    b.next = a;
    Node copy = (Node) codec.decodeValue(codec.encodeValue(a));
    assertNotSame(a, copy);
    assertEquals("b", copy.next.name);
    assertTrue(copy.next.next == copy);
  }

  @Test
  void garbage_raisesCodecException_only() {
    byte[][] garbage = {{}, {9}, {1}, {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 3}, "~kxyz".getBytes(StandardCharsets.UTF_8),
        "~l12a".getBytes(StandardCharsets.UTF_8), "~q".getBytes(StandardCharsets.UTF_8)};
    for (byte[] bytes : garbage) {
      if (bytes.length >= 2 && bytes[0] == '~') {
        assertThrows(CodecException.class, () -> codec.decodeKey(bytes));
      } else {
        assertThrows(CodecException.class, () -> codec.decodeValue(bytes));
      }
    }
    byte[] valid = codec.encodeValue(List.of("a", "b"));
    assertThrows(CodecException.class, () -> codec.decodeValue(java.util.Arrays.copyOf(valid, valid.length + 3)));
    assertThrows(CodecException.class, () -> codec.decodeValue(java.util.Arrays.copyOf(valid, valid.length - 2)));
  }

  @Test
  void unencodableValue_raisesCodecExceptionNamingTheClass() {
    CodecException e = assertThrows(CodecException.class, () -> codec.encodeValue(new Holder(Thread.currentThread())));
    assertTrue(e.getMessage().contains(Holder.class.getName()), e.getMessage());
  }

  @Test
  void value_ofAClassTheLoaderCannotSee_isRefusedNamingClassAndLoader_alsoInsideACollection(@TempDir Path dir)
      throws Exception {
    try (CompiledValueClass ticket = CompiledValueClass.compile(dir)) {
      for (Object value : List.of(ticket.newInstance("a"), new ArrayList<>(List.of(1, ticket.newInstance("b"))))) {
        CodecException e = assertThrows(CodecException.class, () -> codec.encodeValue(value));
        assertTrue(e.getMessage().contains(ticket.name() + " is not visible to the CacheManager's class loader "
            + getClass().getClassLoader()), e.getMessage());
      }
      CodecException key = assertThrows(CodecException.class, () -> codec.encodeKey(List.of(ticket.newInstance("c"))));
      assertTrue(key.getMessage().contains(ticket.name()), key.getMessage());
    }
  }

  @Test
  void storedClass_theLoaderCannotLoad_raisesClassNotVisibleException(@TempDir Path dir) throws Exception {
    try (CompiledValueClass ticket = CompiledValueClass.compile(dir)) {
      KryoCodec seeing = new KryoCodec(ticket.loader(), ClassPolicy.denyList(), 1 << 20);
      byte[] value = seeing.encodeValue(new ArrayList<>(List.of(ticket.newInstance("a"))));
      byte[] key = seeing.encodeKey(List.of(ticket.newInstance("k")));
      assertEquals(List.of(ticket.newInstance("a")), seeing.decodeValue(value));

      ClassNotVisibleException e = assertThrows(ClassNotVisibleException.class, () -> codec.decodeValue(value));
      assertEquals(ticket.name(), e.className());
      assertTrue(e.getMessage().contains(String.valueOf(getClass().getClassLoader())), e.getMessage());
      assertEquals(ticket.name(), assertThrows(ClassNotVisibleException.class, () -> codec.decodeKey(key)).className());
    }
  }

  @Test
  void storedClassName_thatIsNoClassName_isDamage_notAMissingClass() {
    String name = Point.class.getName();
    byte[] missing = renameClass(codec.encodeValue(new Point(1, 2)), name, name.replace("Point", "Pxint"));
    assertEquals(name.replace("Point", "Pxint"),
        assertThrows(ClassNotVisibleException.class, () -> codec.decodeValue(missing)).className());
    byte[] damaged = renameClass(codec.encodeValue(new Point(1, 2)), name, name.replace("Point", "Po nt"));
    CodecException e = assertThrows(CodecException.class, () -> codec.decodeValue(damaged));
    assertFalse(e instanceof ClassNotVisibleException, e.getMessage());
  }

  @Test
  void allowList_refusesOtherClasses_butKeepsJdkTypes() {
    byte[] point = codec.encodeValue(new Point(1, 2));
    KryoCodec strict = new KryoCodec(getClass().getClassLoader(), ClassPolicy.parse("com.example.**"), 1 << 20);
    CodecException e = assertThrows(CodecException.class, () -> strict.decodeValue(point));
    assertTrue(e.getMessage().contains(Point.class.getName()), e.getMessage());
    assertEquals(List.of("a"), strict.decodeValue(codec.encodeValue(new ArrayList<>(List.of("a")))));
    KryoCodec allowing = new KryoCodec(getClass().getClassLoader(), ClassPolicy.parse("dev.slotcache.codec.*"), 1 << 20);
    assertEquals(new Point(1, 2), allowing.decodeValue(point));
  }

  @Test
  void denyList_refusesGadgetPackagesByDefault() {
    assertFalse(ClassPolicy.denyList().permits("org.apache.commons.collections.functors.InvokerTransformer"));
    assertFalse(ClassPolicy.denyList().permits("[Lcom.sun.rowset.JdbcRowSetImpl;"));
    assertTrue(ClassPolicy.denyList().permits("com.acme.Order"));
    assertThrows(IllegalArgumentException.class, () -> ClassPolicy.parse("com.acme.*.Order"));
  }

  @Test
  void sizeCap_refusesLargeInputBeforeDecoding() {
    KryoCodec small = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), 100);
    byte[] big = codec.encodeValue("x".repeat(500));
    CodecException e = assertThrows(CodecException.class, () -> small.decodeValue(big));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void throwables_roundTripWithMessageCauseStackTraceAndFields() {
    OrderFailure failure = new OrderFailure("order 17 failed", 17, new java.io.IOException("disk full"));
    failure.addSuppressed(new IllegalStateException("cleanup failed"));
    OrderFailure copy = (OrderFailure) codec.decodeValue(codec.encodeValue(failure));
    assertNotSame(failure, copy);
    assertEquals("order 17 failed", copy.getMessage());
    assertEquals(17, copy.order);
    assertEquals(java.io.IOException.class, copy.getCause().getClass());
    assertEquals("disk full", copy.getCause().getMessage());
    assertArrayEquals(failure.getStackTrace(), copy.getStackTrace());
    assertEquals("cleanup failed", copy.getSuppressed()[0].getMessage());
    List<?> inside = (List<?>) codec.decodeValue(codec.encodeValue(new ArrayList<>(List.of(failure, failure))));
    assertTrue(inside.get(0) == inside.get(1), "a Throwable referenced twice is decoded once");
  }

  @Test
  void throwables_decodingAppliesTheClassPolicyToNestedClasses() {
    byte[] wrapped = codec.encodeValue(new IllegalStateException("outer", new OrderFailure("inner", 1, null)));
    KryoCodec strict = new KryoCodec(getClass().getClassLoader(), ClassPolicy.parse("com.example.**"), 1 << 20);
    CodecException refused = assertThrows(CodecException.class, () -> strict.decodeValue(wrapped));
    assertTrue(refused.getMessage().contains("allowed-classes"), refused.getMessage());
    KryoCodec allowing = new KryoCodec(getClass().getClassLoader(), ClassPolicy.parse("dev.slotcache.codec.*"), 1 << 20);
    assertEquals("inner", ((Throwable) allowing.decodeValue(wrapped)).getCause().getMessage());

    OrderFailure gadget = new OrderFailure("gadget", 2, null);
    gadget.detail = javax.management.ObjectName.WILDCARD; // Serializable, in a denied package
    byte[] withGadget = codec.encodeValue(gadget);
    assertThrows(CodecException.class, () -> codec.decodeValue(withGadget));
  }

  @Test
  void throwables_withAnUnserializableField_raiseCodecExceptionNamingTheClass() {
    OrderFailure failure = new OrderFailure("x", 3, null);
    failure.detail = Thread.currentThread();
    CodecException e = assertThrows(CodecException.class, () -> codec.encodeValue(failure));
    assertTrue(e.getMessage().contains(OrderFailure.class.getName()), e.getMessage());
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  record Point(int x, int y) {
  }

  static final class OrderFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int order;
    Object detail;

    OrderFailure(String message, int order, Throwable cause) {
      super(message, cause);
      this.order = order;
    }
  }

  static final class AppException extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    AppException(String message, int code) {
      super(message);
      this.code = code;
    }
  }

  static final class NoDefaultConstructor {
    final String name;
    final int n;

    NoDefaultConstructor(String name, int n) {
      this.name = Objects.requireNonNull(name);
      this.n = n;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NoDefaultConstructor other && other.name.equals(name) && other.n == n;
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + n;
    }
  }

  record Pair(String left, String right) {
  }

  static final class Node {
    final String name;
    Node next;

    Node(String name) {
      this.name = name;
    }
  }

  static final class Holder {
    final Object content;

    Holder(Object content) {
      this.content = content;
    }
  }

  @Test
  void byteArrayValues_areStoredAsTheyAre_afterOneFormatByte() {
    byte[] value = {1, 2, 3, (byte) 0xff};
    byte[] encoded = codec.encodeValue(value, 5);
    assertEquals(5 + 1 + value.length, encoded.length);
    assertEquals(KryoCodec.RAW_BYTES_FORMAT, encoded[5]);
    byte[] decoded = (byte[]) codec.decodeValue(encoded, 5);
    assertArrayEquals(value, decoded);
    assertNotSame(encoded, decoded);
    assertArrayEquals(new byte[0], (byte[]) codec.decodeValue(codec.encodeValue(new byte[0])));
    KryoCodec small = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), 3);
    assertThrows(CodecException.class, () -> small.decodeValue(codec.encodeValue(value)));
  }

  @Test
  void valueOfAChangedClass_matchesFieldsByName_neverByPosition() {
    DriftA before = new DriftA();
    before.first = "Ada";
    before.last = "Lovelace";
    before.visits = 3;
    before.removed = "gone";
    // The same bytes read after a deploy in which DriftA became DriftB: first renamed to given, removed dropped,
    // added added. Field-order encodings would hand "Ada" to another field; by name, nothing is misassigned.
    byte[] bytes = renameClass(codec.encodeValue(before), DriftA.class.getName(), DriftB.class.getName());
    DriftB after = (DriftB) codec.decodeValue(bytes);
    assertEquals("Lovelace", after.last);
    assertEquals(3, after.visits);
    assertEquals(null, after.given);
    assertEquals(null, after.added);
  }

  /** Replaces Kryo's ASCII encoding of one class name (last character flagged) by another of equal length. */
  private static byte[] renameClass(byte[] bytes, String from, String to) {
    byte[] pattern = ascii(from);
    byte[] replacement = ascii(to);
    int replaced = 0;
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
        System.arraycopy(replacement, 0, bytes, i, replacement.length);
        replaced++;
      }
    }
    assertEquals(1, replaced, "class name occurrences");
    return bytes;
  }

  private static byte[] ascii(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    bytes[bytes.length - 1] |= (byte) 0x80;
    return bytes;
  }

  static final class DriftA {
    String first;
    String last;
    int visits;
    String removed;
  }

  static final class DriftB {
    String added;
    String given;
    String last;
    int visits;
  }
}
