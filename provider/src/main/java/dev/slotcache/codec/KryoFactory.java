package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Creates the Kryo instances of a {@link KryoCodec}, configured for keys or for values: the class policy and
 * visibility checks, the serializers for JDK types, the registered classes, then the {@link KryoCustomizer}s on
 * the class path. Thread-safe: every call returns a new instance.
 */
final class KryoFactory {

  /**
   * Common JDK classes written as a number instead of by name: fewer bytes and no class lookup per value. Their
   * order is part of the stored format: append only, and a change of order needs a new
   * {@link KryoCodec#VALUE_FORMAT}.
   */
  private static final List<Class<?>> REGISTERED = List.of(byte[].class, char[].class, int[].class, long[].class,
      double[].class, String[].class, Object[].class, java.util.ArrayList.class, java.util.LinkedList.class,
      java.util.HashMap.class, java.util.LinkedHashMap.class, java.util.TreeMap.class, java.util.HashSet.class,
      java.util.LinkedHashSet.class, java.util.TreeSet.class, java.util.Date.class, java.math.BigDecimal.class,
      java.math.BigInteger.class, UUID.class, java.time.Instant.class, java.time.LocalDate.class,
      java.time.LocalDateTime.class, java.time.Duration.class, Boolean.class, Short.class, Character.class,
      Byte.class, Float.class);

  private final ClassLoader classLoader;
  private final ClassPolicy classPolicy;
  private final ClassVisibility visibility;
  private final List<KryoCustomizer> customizers;

  /**
   * @throws CodecException when a {@link KryoCustomizer} listed in {@code META-INF/services} cannot be loaded
   */
  KryoFactory(ClassLoader classLoader, ClassPolicy classPolicy) {
    this.classLoader = classLoader;
    this.classPolicy = classPolicy;
    this.visibility = new ClassVisibility(classLoader);
    this.customizers = loadCustomizers(classLoader);
  }

  /** A new Kryo instance for {@code purpose}: canonical and without references for keys, references on for values. */
  Kryo newKryo(KryoCustomizer.Purpose purpose) {
    boolean values = purpose == KryoCustomizer.Purpose.VALUES;
    Kryo kryo = new CanonicalKryo(new PolicyClassResolver(classPolicy, visibility, !values), !values);
    kryo.setClassLoader(classLoader);
    kryo.setRegistrationRequired(false);
    kryo.setWarnUnregisteredClasses(false);
    kryo.setReferences(values);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    if (values) {
      // Values outlive deploys: match fields by name, so that a changed class cannot receive another field's data.
      CompatibleFieldSerializer.CompatibleFieldSerializerConfig config =
          new CompatibleFieldSerializer.CompatibleFieldSerializerConfig();
      config.setChunkedEncoding(true);
      kryo.setDefaultSerializer(new SerializerFactory.CompatibleFieldSerializerFactory(config));
    }
    // JDK types whose fields the module system closes to reflection (JDK 17+): dedicated serializers.
    kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    kryo.addDefaultSerializer(java.net.URI.class, new DefaultSerializers.URISerializer());
    kryo.addDefaultSerializer(java.util.regex.Pattern.class, new DefaultSerializers.PatternSerializer());
    kryo.addDefaultSerializer(AtomicBoolean.class, new DefaultSerializers.AtomicBooleanSerializer());
    kryo.addDefaultSerializer(AtomicInteger.class, new DefaultSerializers.AtomicIntegerSerializer());
    kryo.addDefaultSerializer(AtomicLong.class, new DefaultSerializers.AtomicLongSerializer());
    kryo.addDefaultSerializer(AtomicReference.class, new DefaultSerializers.AtomicReferenceSerializer());
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    // Throwable's state is in java.lang fields closed to reflection: Java serialization, filtered by the policy.
    kryo.addDefaultSerializer(Throwable.class, new ThrowableSerializer(classPolicy));
    for (Class<?> type : REGISTERED) {
      kryo.register(type);
    }
    // Extensions come last, so that their registrations never shift the numbers of ours.
    for (KryoCustomizer customizer : customizers) {
      customizer.customize(kryo, purpose);
    }
    return kryo;
  }

  /** The {@link KryoCustomizer}s on the class path, in a stable order (by class name). */
  private static List<KryoCustomizer> loadCustomizers(ClassLoader classLoader) {
    List<KryoCustomizer> found = new ArrayList<>();
    try {
      for (KryoCustomizer customizer : ServiceLoader.load(KryoCustomizer.class, classLoader)) {
        found.add(customizer);
      }
    } catch (ServiceConfigurationError e) {
      throw new CodecException("cannot load a " + KryoCustomizer.class.getName() + " listed in META-INF/services: "
          + PooledKryo.describe(e), e);
    }
    found.sort(Comparator.comparing(c -> c.getClass().getName()));
    return List.copyOf(found);
  }
}
