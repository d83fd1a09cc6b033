package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.CompatibleFieldSerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.objenesis.strategy.StdInstantiatorStrategy;

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
 * <p>Thread-safe: Kryo instances come from a pool.
 */
public final class KryoCodec implements Codec {

  /** First byte of every encoded value; a new wire format gets a new number. */
  static final byte VALUE_FORMAT = 2;

  /** First byte of a {@code byte[]} value stored as it is: no Kryo framing, one copy each way. */
  static final byte RAW_BYTES_FORMAT = 3;

  /**
   * Common JDK classes written as a number instead of by name: fewer bytes and no class lookup per value. Their
   * order is part of the stored format: append only, and a change of order needs a new {@link #VALUE_FORMAT}.
   */
  private static final List<Class<?>> REGISTERED = List.of(byte[].class, char[].class, int[].class, long[].class,
      double[].class, String[].class, Object[].class, java.util.ArrayList.class, java.util.LinkedList.class,
      java.util.HashMap.class, java.util.LinkedHashMap.class, java.util.TreeMap.class, java.util.HashSet.class,
      java.util.LinkedHashSet.class, java.util.TreeSet.class, java.util.Date.class, java.math.BigDecimal.class,
      java.math.BigInteger.class, UUID.class, java.time.Instant.class, java.time.LocalDate.class,
      java.time.LocalDateTime.class, java.time.Duration.class, Boolean.class, Short.class, Character.class,
      Byte.class, Float.class);

  private static final byte TILDE = '~';
  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_POOLED_BUFFER = 1 << 20;

  private final ClassLoader classLoader;
  private final ClassPolicy classPolicy;
  private final Visibility visibility;
  private final int maxDecodeBytes;
  private final Pool<Worker> valueWorkers;
  private final Pool<Worker> keyWorkers;
  private final List<KryoCustomizer> customizers;

  /**
   * @param classLoader    loads the classes named in encoded bytes
   * @param classPolicy    which classes may be decoded
   * @param maxDecodeBytes bytes larger than this are refused before decoding
   */
  public KryoCodec(ClassLoader classLoader, ClassPolicy classPolicy, int maxDecodeBytes) {
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    this.classPolicy = Objects.requireNonNull(classPolicy, "classPolicy");
    this.visibility = new Visibility(classLoader);
    if (maxDecodeBytes <= 0) {
      throw new IllegalArgumentException("maxDecodeBytes must be positive, was " + maxDecodeBytes);
    }
    this.maxDecodeBytes = maxDecodeBytes;
    this.customizers = loadCustomizers(classLoader);
    int poolSize = Math.max(8, Runtime.getRuntime().availableProcessors() * 4);
    this.valueWorkers = new Pool<>(poolSize, () -> new Worker(newKryo(classLoader, true)));
    this.keyWorkers = new Pool<>(poolSize, () -> new Worker(newKryo(classLoader, false)));
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
    byte[] body = encode(keyWorkers, key, "key");
    byte[] bytes = new byte[body.length + 2];
    bytes[0] = TILDE;
    bytes[1] = 'k';
    System.arraycopy(body, 0, bytes, 2, body.length);
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
        case 'k': return decode(keyWorkers, bytes, 2, "key");
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
    Worker worker = valueWorkers.obtain();
    try {
      Output output = worker.output;
      output.reset();
      output.setPosition(headroom);
      output.writeByte(VALUE_FORMAT);
      worker.kryo.writeClassAndObject(output, value);
      return output.toBytes();
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      throw cannotEncode("value", value, e);
    } finally {
      release(valueWorkers, worker);
    }
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
    return decode(valueWorkers, bytes, offset + 1, "value");
  }

  private byte[] encode(Pool<Worker> pool, Object object, String what) {
    Worker worker = pool.obtain();
    try {
      Output output = worker.output;
      output.reset();
      worker.kryo.writeClassAndObject(output, object);
      return output.toBytes();
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      throw cannotEncode(what, object, e);
    } finally {
      release(pool, worker);
    }
  }

  private Object decode(Pool<Worker> pool, byte[] bytes, int offset, String what) {
    if (bytes.length - offset > maxDecodeBytes) {
      throw new CodecException("refusing to decode a " + what + " of " + bytes.length
          + " bytes: larger than the limit of " + maxDecodeBytes + " bytes (slotcache.max-value-bytes)");
    }
    Worker worker = pool.obtain();
    try {
      Input input = worker.input;
      input.setBuffer(bytes, offset, bytes.length - offset);
      Object result = worker.kryo.readClassAndObject(input);
      if (input.position() != bytes.length) {
        throw new CodecException("not an encoded " + what + ": " + (bytes.length - input.position())
            + " trailing bytes");
      }
      return result;
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      String missing = unloadableClass(e);
      if (missing != null) {
        throw new ClassNotVisibleException(missing, "cannot decode a " + what + " of " + bytes.length + " bytes: class "
            + missing + " is not visible to class loader " + classLoader, e);
      }
      throw new CodecException("cannot decode a " + what + " of " + bytes.length + " bytes: " + describe(e), e);
    } finally {
      worker.input.setBuffer(EMPTY);
      release(pool, worker);
    }
  }

  private static void release(Pool<Worker> pool, Worker worker) {
    if (worker.output.getBuffer().length > MAX_POOLED_BUFFER) {
      worker.output.setBuffer(new byte[256], -1);
    }
    pool.free(worker);
  }

  private static CodecException cannotEncode(String what, Object object, Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CodecException ours) {
        return ours == e ? ours : new CodecException(ours.getMessage(), e); // our own check, inside Kryo's frames
      }
    }
    return new CodecException("cannot encode " + what + " of " + object.getClass().getName() + ": " + describe(e)
        + " (give the class a Kryo-friendly shape, or make the field transient)", e);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    if (message != null) {
      int newline = message.indexOf('\n');
      message = newline < 0 ? message : message.substring(0, newline);
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * The class that a failure to decode could not load (a {@link ClassNotFoundException} or
   * {@link NoClassDefFoundError} in its causes), or null. A name that is not a Java class name means the bytes
   * themselves are damaged, so it does not count.
   */
  private static String unloadableClass(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String name = null;
      if (cause instanceof ClassNotVisibleException known) {
        return known.className();
      } else if (cause instanceof ClassNotFoundException) {
        name = cause.getMessage();
      } else if (cause instanceof NoClassDefFoundError && cause.getMessage() != null) {
        name = cause.getMessage().replace("Could not initialize class ", "").replace('/', '.');
      }
      if (name != null) {
        return isClassName(name) ? name : null;
      }
    }
    return null;
  }

  /** Whether {@code name} is a binary class name ({@code a.b.C$D}) or an array of one ({@code [La.b.C;}). */
  private static boolean isClassName(String name) {
    String element = name.startsWith("[") ? name.replaceFirst("^\\[+L(.*);$", "$1") : name;
    if (element.isEmpty() || element.startsWith("[")) {
      return false;
    }
    for (String part : element.split("\\.", -1)) {
      if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
          || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Loads {@code name} as Kryo's reader does: through {@code loader}, else through Kryo's own class loader. Throws
   * the first loader's {@link ClassNotFoundException} when neither has it.
   */
  private static Class<?> load(String name, ClassLoader loader) throws ClassNotFoundException {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      try {
        return Class.forName(name, false, Kryo.class.getClassLoader());
      } catch (ClassNotFoundException ignored) {
        throw e;
      }
    }
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

  private Kryo newKryo(ClassLoader classLoader, boolean references) {
    Kryo kryo = new CanonicalKryo(new PolicyClassResolver(classPolicy, visibility, !references), !references);
    kryo.setClassLoader(classLoader);
    kryo.setRegistrationRequired(false);
    kryo.setWarnUnregisteredClasses(false);
    kryo.setReferences(references);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    if (references) {
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
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicBoolean.class,
        new DefaultSerializers.AtomicBooleanSerializer());
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicInteger.class,
        new DefaultSerializers.AtomicIntegerSerializer());
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicLong.class,
        new DefaultSerializers.AtomicLongSerializer());
    kryo.addDefaultSerializer(java.util.concurrent.atomic.AtomicReference.class,
        new DefaultSerializers.AtomicReferenceSerializer());
    ImmutableCollectionsSerializers.addDefaultSerializers(kryo);
    // Throwable's state is in java.lang fields closed to reflection: Java serialization, filtered by the policy.
    kryo.addDefaultSerializer(Throwable.class, new ThrowableSerializer(classPolicy));
    for (Class<?> type : REGISTERED) {
      kryo.register(type);
    }
    // Extensions come last, so that their registrations never shift the numbers of ours.
    KryoCustomizer.Purpose purpose = references ? KryoCustomizer.Purpose.VALUES : KryoCustomizer.Purpose.KEYS;
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
          + describe(e), e);
    }
    found.sort(java.util.Comparator.comparing(c -> c.getClass().getName()));
    return List.copyOf(found);
  }

  /**
   * A lock-free pool (Kryo's own uses a blocking queue, whose lock the threads of a busy JVM queue up on).
   * Keeps at most {@code capacity} idle workers; more are created under load and dropped afterwards.
   */
  private static final class Pool<T> {
    private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int capacity;
    private final Supplier<T> factory;

    Pool(int capacity, Supplier<T> factory) {
      this.capacity = capacity;
      this.factory = factory;
    }

    T obtain() {
      T worker = idle.poll();
      if (worker == null) {
        return factory.get();
      }
      idleCount.decrementAndGet();
      return worker;
    }

    void free(T worker) {
      if (idleCount.incrementAndGet() <= capacity) {
        idle.offer(worker);
      } else {
        idleCount.decrementAndGet();
      }
    }
  }

  private static final class Worker {
    final Kryo kryo;
    final Output output = new Output(256, -1);
    final Input input = new Input();

    Worker(Kryo kryo) {
      this.kryo = kryo;
    }
  }

  /**
   * Whether the class this codec's readers find under a class's name is that very class: computed once per class
   * and remembered while it holds. A "no" is not remembered, because a loader may answer differently later (the
   * provider's default loader asks the calling thread's context class loader); it is the failing path anyway.
   */
  private static final class Visibility extends ClassValue<Boolean> {
    private final ClassLoader loader;

    Visibility(ClassLoader loader) {
      this.loader = loader;
    }

    @Override
    protected Boolean computeValue(Class<?> type) {
      return resolve(type.getName()) == type;
    }

    /** Throws {@link CodecException} naming the class, the loader and the cure when {@code type} is not visible. */
    void require(Class<?> type) {
      if (get(type)) {
        return;
      }
      remove(type);
      Class<?> found = resolve(type.getName());
      String problem = found == null
          ? "class " + type.getName() + " is not visible to the CacheManager's class loader " + loader
          : "the CacheManager's class loader " + loader + " finds another class named " + type.getName()
              + " (loaded by " + found.getClassLoader() + "; this one by " + type.getClassLoader() + ")";
      throw new CodecException(problem + ", so an entry holding it could not be read back. Pass a ClassLoader that "
          + "sees the class to getCacheManager(uri, classLoader), or make it the thread's context class loader "
          + "before getCacheManager(uri, null)");
    }

    private Class<?> resolve(String name) {
      try {
        return load(name, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return null;
      }
    }
  }

  /**
   * Refuses, before instantiation, every class the policy does not permit. In key mode it writes every class
   * by its full name instead of Kryo's per-graph name ids, whose numbering depends on encounter order and so
   * would make a sorted set's encoding depend on its iteration order.
   */
  private static final class PolicyClassResolver extends DefaultClassResolver {
    private static final byte NAME_MARKER = NAME + 2;
    private static final int MAX_REMEMBERED = 4096;

    private final ClassPolicy policy;
    private final Visibility visibility;
    private final boolean fullNames;
    private final Map<String, Class<?>> byName = new java.util.HashMap<>();
    /** Names already checked, so that reading a value costs no pattern matching (this resolver's Kryo only). */
    private final Set<String> permitted = new java.util.HashSet<>();

    PolicyClassResolver(ClassPolicy policy, Visibility visibility, boolean fullNames) {
      this.policy = policy;
      this.visibility = visibility;
      this.fullNames = fullNames;
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected void writeName(Output output, Class type, Registration registration) {
      visibility.require(type);
      if (!fullNames) {
        super.writeName(output, type, registration);
        return;
      }
      output.writeByte(NAME_MARKER);
      output.writeString(type.getName());
    }

    @Override
    protected Registration readName(Input input) {
      if (!fullNames) {
        Registration registration = super.readName(input);
        check(registration.getType().getName());
        return registration;
      }
      String name = input.readString();
      Class<?> type = byName.get(name);
      if (type == null) {
        check(name);
        try {
          type = load(name, kryo.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new ClassNotVisibleException(name, "class " + name + " named in a stored key is not visible to "
              + "class loader " + kryo.getClassLoader(), e);
        }
        byName.put(name, type);
      }
      return kryo.getRegistration(type);
    }

    private void check(String name) {
      if (permitted.contains(name)) {
        return;
      }
      if (policy.permits(name)) {
        if (permitted.size() < MAX_REMEMBERED) {
          permitted.add(name);
        }
      } else {
        throw new CodecException("class " + name + " may not be decoded under " + policy
            + "; add it to slotcache.codec.allowed-classes if it is yours");
      }
    }
  }

  /** Kryo whose key encoding writes unordered sets and maps in a canonical (sorted) order. */
  private static final class CanonicalKryo extends Kryo {
    private final boolean canonical;

    CanonicalKryo(DefaultClassResolver resolver, boolean canonical) {
      super(resolver, null);
      this.canonical = canonical;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Serializer getDefaultSerializer(Class type) {
      if (canonical && Set.class.isAssignableFrom(type) && !SortedSet.class.isAssignableFrom(type)
          && !type.isEnum() && hasNoArgConstructor(type)) {
        return new SortedElementsSerializer(false);
      }
      if (canonical && Map.class.isAssignableFrom(type) && !SortedMap.class.isAssignableFrom(type)
          && hasNoArgConstructor(type)) {
        return new SortedElementsSerializer(true);
      }
      return super.getDefaultSerializer(type);
    }

    private static boolean hasNoArgConstructor(Class<?> type) {
      try {
        type.getDeclaredConstructor();
        return true;
      } catch (NoSuchMethodException e) {
        return false;
      }
    }
  }

  /** Writes a set's elements (or a map's entries) each encoded on its own, in byte order. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class SortedElementsSerializer extends Serializer<Object> {
    private final boolean map;

    SortedElementsSerializer(boolean map) {
      this.map = map;
    }

    @Override
    public void write(Kryo kryo, Output output, Object object) {
      List<byte[]> parts = new ArrayList<>();
      if (map) {
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) object).entrySet()) {
          Output part = new Output(64, -1);
          kryo.writeClassAndObject(part, entry.getKey());
          kryo.writeClassAndObject(part, entry.getValue());
          parts.add(part.toBytes());
        }
      } else {
        for (Object element : (Collection<?>) object) {
          Output part = new Output(64, -1);
          kryo.writeClassAndObject(part, element);
          parts.add(part.toBytes());
        }
      }
      parts.sort(Arrays::compareUnsigned);
      output.writeVarInt(parts.size(), true);
      for (byte[] part : parts) {
        output.writeVarInt(part.length, true);
        output.writeBytes(part);
      }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
      Object result = kryo.newInstance(type);
      int size = input.readVarInt(true);
      for (int i = 0; i < size; i++) {
        int length = input.readVarInt(true);
        Input part = new Input(input.readBytes(length));
        if (map) {
          Object key = kryo.readClassAndObject(part);
          ((Map) result).put(key, kryo.readClassAndObject(part));
        } else {
          ((Collection) result).add(kryo.readClassAndObject(part));
        }
      }
      return result;
    }
  }
}
