package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Encodes a {@link Throwable} (and every subclass) with Java serialization, the contract every Throwable has.
 * Kryo's field serializer cannot: a Throwable's message, cause and stack trace live in private fields of
 * {@code java.lang.Throwable}, which the module system closes to reflection on JDK 17+. Exceptions become values
 * when frameworks cache them (the {@code exceptionCacheName} of JSR-107's {@code @CacheResult}).
 *
 * <p>Decoding is guarded like the rest of the codec: an {@link ObjectInputFilter} refuses every class in the
 * stream that the {@link ClassPolicy} does not permit (nested causes and fields included), as well as deep or
 * large graphs, and a JVM-wide serial filter, when one is set, is asked first. Thread-safe.
 */
final class ThrowableSerializer extends Serializer<Throwable> {

  private static final long MAX_DEPTH = 100;
  private static final long MAX_REFERENCES = 10_000;
  private static final long MAX_ARRAY_LENGTH = 100_000;

  private final ClassPolicy policy;

  ThrowableSerializer(ClassPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public void write(Kryo kryo, Output output, Throwable throwable) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(throwable);
    } catch (IOException e) {
      // NotSerializableException names the class of the offending field.
      throw new UncheckedIOException("a Throwable is encoded with Java serialization, which failed: " + e, e);
    }
    output.writeVarInt(bytes.size(), true);
    output.writeBytes(bytes.toByteArray());
  }

  @Override
  public Throwable read(Kryo kryo, Input input, Class<? extends Throwable> type) {
    int length = input.readVarInt(true);
    byte[] bytes = input.readBytes(length);
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), kryo.getClassLoader())) {
      String[] refused = new String[1];
      in.setObjectInputFilter(info -> {
        ObjectInputFilter.Status status = check(info);
        if (status == ObjectInputFilter.Status.REJECTED && refused[0] == null) {
          Class<?> refusedClass = info.serialClass();
          refused[0] = refusedClass != null && !policy.permits(refusedClass.getName())
              ? "class " + refusedClass.getName() : "a graph beyond the limits (depth " + MAX_DEPTH + ", "
              + MAX_REFERENCES + " references, arrays of " + MAX_ARRAY_LENGTH + ")";
        }
        return status;
      });
      try {
        return read(in, type);
      } catch (InvalidClassException e) {
        throw new CodecException("cannot decode a " + type.getName() + ": " + (refused[0] == null ? e.getMessage()
            : refused[0] + " is refused") + " under " + policy
            + " (add the class to slotcache.codec.allowed-classes if it is yours)", e);
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new CodecException("cannot decode a " + type.getName() + ": " + e, e);
    }
  }

  private static Throwable read(ObjectInputStream in, Class<? extends Throwable> type)
      throws IOException, ClassNotFoundException {
    Object decoded = in.readObject();
    if (!type.isInstance(decoded)) {
      throw new CodecException("not an encoded " + type.getName() + ": found "
          + (decoded == null ? "null" : decoded.getClass().getName()));
    }
    return type.cast(decoded);
  }

  private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    if (global != null && global.checkInput(info) == ObjectInputFilter.Status.REJECTED) {
      return ObjectInputFilter.Status.REJECTED;
    }
    if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.arrayLength() > MAX_ARRAY_LENGTH) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (type.isArray()) {
      type = type.getComponentType();
    }
    return type.isPrimitive() || policy.permits(type.getName())
        ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
  }

  /** Resolves classes with the codec's class loader, like the rest of the decoding. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass descriptor) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(descriptor.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(descriptor);
      }
    }
  }
}
