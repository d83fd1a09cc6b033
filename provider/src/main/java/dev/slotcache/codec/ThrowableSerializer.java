package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/**
 * Encodes exceptions with Java serialization. On JDK 17+ Kryo's field access cannot reach {@link Throwable}'s
 * private state (message, cause, stack trace, suppressed exceptions), while every {@code Throwable} is
 * {@code Serializable} and serializes itself. Exceptions are cached values, for example by the JSR-107
 * {@code @CacheResult(exceptionCacheName = …)} annotation.
 *
 * <p>Decoding is guarded like the rest of the codec: every class named in the stream must pass the
 * {@link ClassPolicy}, object graphs deeper than {@value #MAX_DEPTH} are refused, and classes are loaded without
 * initialising them from Kryo's class loader. Thread-safe (stateless apart from the policy).
 */
final class ThrowableSerializer extends Serializer<Throwable> {

  private static final int MAX_DEPTH = 100;

  private final ClassPolicy policy;

  ThrowableSerializer(ClassPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void write(Kryo kryo, Output output, Throwable throwable) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(throwable);
    } catch (IOException e) {
      throw new KryoException("exception " + throwable.getClass().getName() + " is not serializable: " + e, e);
    }
    output.writeVarInt(bytes.size(), true);
    output.writeBytes(bytes.toByteArray());
  }

  @Override
  public Throwable read(Kryo kryo, Input input, Class<? extends Throwable> type) {
    int length = input.readVarInt(true);
    byte[] bytes = input.readBytes(length);
    String[] refused = new String[1];
    try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), kryo.getClassLoader())) {
      in.setObjectInputFilter(info -> check(info, refused));
      Object object = in.readObject();
      if (!type.isInstance(object)) {
        throw new CodecException("not an encoded " + type.getName() + ": found " + object.getClass().getName());
      }
      return type.cast(object);
    } catch (IOException | ClassNotFoundException e) {
      if (refused[0] != null) {
        throw new CodecException("class " + refused[0] + " may not be decoded under " + policy
            + "; add it to slotcache.codec.allowed-classes if it is yours", e);
      }
      throw new CodecException("cannot decode an exception of " + type.getName() + ": " + e, e);
    }
  }

  private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info, String[] refused) {
    if (info.depth() > MAX_DEPTH) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    if (policy.permits(type.getName())) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    refused[0] = type.getName();
    return ObjectInputFilter.Status.REJECTED;
  }

  /** Resolves classes through the codec's class loader, without running their static initialisers. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader classLoader;

    LoaderObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
      super(in);
      this.classLoader = classLoader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, classLoader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
