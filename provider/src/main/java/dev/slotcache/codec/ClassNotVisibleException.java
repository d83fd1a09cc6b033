package dev.slotcache.codec;

/**
 * Stored bytes name a class that the codec's class loader cannot load. The bytes may be perfectly good: a JVM (or a
 * CacheManager) whose class loader sees the class reads them, so they are a miss here and are not removed.
 */
public class ClassNotVisibleException extends CodecException {

  private static final long serialVersionUID = 1L;

  private final String className;

  public ClassNotVisibleException(String className, String message, Throwable cause) {
    super(message, cause);
    this.className = className;
  }

  /** The binary name of the class that could not be loaded ({@code com.acme.Order$Line}). */
  public String className() {
    return className;
  }
}
