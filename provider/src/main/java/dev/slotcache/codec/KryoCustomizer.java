package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;

/**
 * Adds serializers to the Kryo instances of {@link KryoCodec}, for classes the default field serializer handles
 * badly: keys that carry a precomputed hash code (not canonical across JVMs), singletons that must decode to the
 * same instance, classes with transient state to rebuild.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} through the CacheManager's class loader
 * ({@code META-INF/services/dev.slotcache.codec.KryoCustomizer}) and called once for every new Kryo instance, so
 * they must be stateless and thread-safe. Register serializers with {@link Kryo#addDefaultSerializer}, not
 * {@link Kryo#register}: classes are written by name, and registration ids would change the stored bytes.
 * A key serializer must write equal keys as identical bytes in every JVM (see {@link Codec}).
 */
public interface KryoCustomizer {

  /** What a Kryo instance encodes. */
  enum Purpose {
    /** Cache keys: canonical encoding, no references. */
    KEYS,
    /** Cache values: references on, so shared sub-objects and cycles survive. */
    VALUES
  }

  /** Adds serializers to {@code kryo}, which will encode {@code purpose}. */
  void customize(Kryo kryo, Purpose purpose);
}
