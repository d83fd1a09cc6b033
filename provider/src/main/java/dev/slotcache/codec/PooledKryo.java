package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Supplier;

/**
 * Kryo instances of one purpose (keys or values), pooled, and the one place where the codec runs Kryo, so the one
 * place where Kryo's failures are translated: a {@code KryoException}, a serializer's or customizer's own
 * exception, or a {@code LinkageError} / {@code StackOverflowError} from a class or a graph becomes a
 * {@link CodecException}, or a {@link ClassNotVisibleException} when the bytes name a class the codec's class
 * loader cannot load. Nothing else in the codec catches what Kryo throws.
 *
 * <p>Thread-safe: each call borrows a Kryo instance with its buffers and returns it.
 */
final class PooledKryo {

  private static final byte[] EMPTY = new byte[0];
  private static final int MAX_POOLED_BUFFER = 1 << 20;

  private final LockFreePool<Worker> pool;
  private final ClassLoader classLoader;

  /**
   * @param capacity    most idle Kryo instances kept
   * @param factory     creates a configured Kryo instance
   * @param classLoader the loader {@code factory}'s instances read classes with, named in messages
   */
  PooledKryo(int capacity, Supplier<Kryo> factory, ClassLoader classLoader) {
    this.pool = new LockFreePool<>(capacity, () -> new Worker(factory.get()));
    this.classLoader = classLoader;
  }

  /**
   * Kryo's {@code writeClassAndObject} output for {@code object}, after {@code headroom} bytes that the caller
   * fills in (a format byte, a key's type marker, a record header); their content is unspecified.
   *
   * @param what "key" or "value", for the message
   * @throws CodecException when Kryo, a serializer or a check of ours refuses the object
   */
  byte[] write(Object object, int headroom, String what) {
    Worker worker = pool.obtain();
    try {
      Output output = worker.output;
      output.reset();
      output.setPosition(headroom);
      worker.kryo.writeClassAndObject(output, object);
      return output.toBytes();
    } catch (RuntimeException | LinkageError | StackOverflowError e) { // KryoException above all
      throw cannotEncode(what, object, e);
    } finally {
      release(worker);
    }
  }

  /**
   * The object Kryo's {@code readClassAndObject} reads from {@code bytes}, starting at {@code offset}; every byte
   * to the end must belong to it.
   *
   * @param what "key" or "value", for the message
   * @throws ClassNotVisibleException when the bytes name a class the class loader cannot load
   * @throws CodecException           for any other bytes that do not decode
   */
  Object read(byte[] bytes, int offset, String what) {
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
    } catch (RuntimeException | LinkageError | StackOverflowError e) { // KryoException above all
      String missing = unloadableClass(e);
      if (missing != null) {
        throw new ClassNotVisibleException(missing, "cannot decode a " + what + " of " + bytes.length + " bytes: class "
            + missing + " is not visible to class loader " + classLoader, e);
      }
      throw new CodecException("cannot decode a " + what + " of " + bytes.length + " bytes: " + describe(e), e);
    } finally {
      worker.input.setBuffer(EMPTY);
      release(worker);
    }
  }

  private void release(Worker worker) {
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

  /** A failure's simple class name and the first line of its message (Kryo appends its serialization trace). */
  static String describe(Throwable e) {
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

  /** A Kryo instance with its own buffers; used by one thread at a time. */
  private static final class Worker {
    final Kryo kryo;
    final Output output = new Output(256, -1);
    final Input input = new Input();

    Worker(Kryo kryo) {
      this.kryo = kryo;
    }
  }
}
