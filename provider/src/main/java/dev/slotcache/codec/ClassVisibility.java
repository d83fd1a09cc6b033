package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;

/**
 * Whether the class this codec's readers find under a class's name is that very class: computed once per class
 * and remembered while it holds. A "no" is not remembered, because a loader may answer differently later (the
 * provider's default loader asks the calling thread's context class loader); it is the failing path anyway.
 * Thread-safe.
 */
final class ClassVisibility extends ClassValue<Boolean> {

  private final ClassLoader loader;

  ClassVisibility(ClassLoader loader) {
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

  /**
   * Loads {@code name} as Kryo's reader does: through {@code loader}, else through Kryo's own class loader. Throws
   * the first loader's {@link ClassNotFoundException} when neither has it.
   */
  static Class<?> load(String name, ClassLoader loader) throws ClassNotFoundException {
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
}
