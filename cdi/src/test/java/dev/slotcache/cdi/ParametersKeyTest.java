package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.codec.ClassPolicy;
import dev.slotcache.codec.KryoCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The default generated key: the spec's equality, and a canonical, compact encoding in Slotcache's codec. */
class ParametersKeyTest {

  private final KryoCodec codec = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), 1 << 20);

  @Test
  void equality_isDeepEqualityOfTheParameterValues() {
    assertEquals(ParametersKey.of("a", 1), ParametersKey.of("a", 1));
    assertEquals(ParametersKey.of("a", new int[] {1, 2}), ParametersKey.of("a", new int[] {1, 2}));
    assertEquals(ParametersKey.of((Object) null), ParametersKey.of((Object) null));
    assertEquals(ParametersKey.of(), ParametersKey.of());
    assertNotEquals(ParametersKey.of("a", 1), ParametersKey.of("a", 1L));
    assertNotEquals(ParametersKey.of("a"), ParametersKey.of("a", null));
    assertNotEquals(ParametersKey.of(), ParametersKey.of((Object) null));
    Object[] values = {"a", new long[] {3}, null, List.of(1)};
    assertEquals(Arrays.deepHashCode(values), ParametersKey.of(values).hashCode());
    assertEquals(Arrays.deepHashCode(new Object[] {"x"}), ParametersKey.of("x").hashCode());
  }

  @Test
  void key_copiesItsParameters_andShowsThem() {
    Object[] values = {"a", 1};
    ParametersKey key = ParametersKey.of(values);
    values[0] = "changed";
    assertArrayEquals(new Object[] {"a", 1}, key.parameters());
    key.parameters()[1] = 2;
    assertEquals(ParametersKey.of("a", 1), key);
    assertEquals("ParametersKey[a, [7]]", ParametersKey.of("a", new int[] {7}).toString());
  }

  @Test
  void equalKeys_encodeToIdenticalBytes_whetherOrNotTheirHashWasComputed() {
    Set<String> small = new HashSet<>(List.of("x", "y", "z"));
    ParametersKey hashed = ParametersKey.of("alice", 17, small);
    hashed.hashCode();
    Set<String> otherOrder = new HashSet<>(256);
    for (int i = 0; i < 100; i++) {
      otherOrder.add("filler" + i);
    }
    otherOrder.addAll(List.of("z", "y", "x"));
    otherOrder.removeIf(s -> s.startsWith("filler"));
    ParametersKey fresh = ParametersKey.of("alice", 17, otherOrder);
    assertArrayEquals(codec.encodeKey(hashed), codec.encodeKey(fresh));
    assertArrayEquals(codec.encodeKey(ParametersKey.of("a")), codec.encodeKey(ParametersKey.of("a")));
    assertEquals(hashed, codec.decodeKey(codec.encodeKey(hashed)));
    assertEquals(hashed.hashCode(), codec.decodeKey(codec.encodeKey(fresh)).hashCode());
  }

  @Test
  void encoding_carriesTheValuesAndOneShortClassName_only() {
    byte[] one = codec.encodeKey(ParametersKey.of("alice"));
    String text = new String(one, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains("[Ljava.lang.Object;"), "one parameter needs no array: " + text);
    assertTrue(one.length <= "~k".length() + "dev.slotcache.cdi.ParametersKey$One".length() + "alice".length() + 4,
        one.length + " bytes: " + text);
    assertTrue(codec.encodeKey(ParametersKey.of()).length <= 40);
  }

  @Test
  void key_survivesJavaSerialization() throws Exception {
    ParametersKey key = ParametersKey.of("a", 1, new String[] {"b"});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(key);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Object copy = in.readObject();
      assertEquals(key, copy);
      assertEquals(key.hashCode(), copy.hashCode());
    }
  }
}
