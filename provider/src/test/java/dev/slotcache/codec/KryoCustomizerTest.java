package dev.slotcache.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A {@link KryoCustomizer} listed in this module's test {@code META-INF/services} writes a key class without
 * its cached hash code, so two keys that are equal but carry different hashes encode identically.
 */
class KryoCustomizerTest {

  private final KryoCodec codec = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), 1 << 20);

  @Test
  void customizerSerializer_makesKeysWithDifferentCachedHashesEncodeIdentically() {
    HashedKey a = new HashedKey("order-7", 1);
    HashedKey b = new HashedKey("order-7", 2);
    byte[] encoded = codec.encodeKey(a);
    assertArrayEquals(encoded, codec.encodeKey(b));
    HashedKey decoded = (HashedKey) codec.decodeKey(encoded);
    assertEquals("order-7", decoded.name);
    assertEquals("order-7".hashCode(), decoded.hash, "the serializer rebuilds the hash on decoding");
  }

  @Test
  void customizerSerializer_appliesToValuesToo() {
    Object decoded = codec.decodeValue(codec.encodeValue(new HashedKey("x", 42)));
    assertEquals("x".hashCode(), ((HashedKey) decoded).hash);
  }

  @Test
  void withoutTheCustomizer_theCachedHashWouldBeEncoded() {
    // The same shape of class, but not covered by the test customizer: the default field serializer writes
    // the hash, so the encodings differ. This is what the hook exists for.
    assertNotEquals(new String(codec.encodeKey(new UncoveredKey("k", 1)), StandardCharsets.ISO_8859_1),
        new String(codec.encodeKey(new UncoveredKey("k", 2)), StandardCharsets.ISO_8859_1));
  }

  /** A name and a hash computed elsewhere and carried along, like an ORM's cache keys. */
  abstract static class NamedAndHashed {
    final String name;
    final int hash;

    NamedAndHashed(String name, int hash) {
      this.name = name;
      this.hash = hash;
    }
  }

  /** Equal by name; the test customizer encodes it without the hash. */
  static final class HashedKey extends NamedAndHashed {
    HashedKey(String name, int hash) {
      super(name, hash);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HashedKey other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The same fields, left to the default serializer. */
  static final class UncoveredKey extends NamedAndHashed {
    UncoveredKey(String name, int hash) {
      super(name, hash);
    }
  }

  /** Registered through META-INF/services/dev.slotcache.codec.KryoCustomizer of the test class path. */
  public static final class TestCustomizer implements KryoCustomizer {
    @Override
    public void customize(Kryo kryo, Purpose purpose) {
      kryo.addDefaultSerializer(HashedKey.class, new Serializer<HashedKey>() {
        @Override
        public void write(Kryo k, Output output, HashedKey key) {
          output.writeString(key.name);
        }

        @Override
        public HashedKey read(Kryo k, Input input, Class<? extends HashedKey> type) {
          String name = input.readString();
          return new HashedKey(name, name.hashCode());
        }
      });
    }
  }
}
