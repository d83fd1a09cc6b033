package dev.slotcache.spi;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The provider's default class loader ({@link SlotcacheCachingProvider#getDefaultClassLoader()}, JSR-107 1.1.1),
 * used by {@code getCacheManager(uri, null)}. One instance for the life of the provider's class, so that it keys one
 * CacheManager per URI, and at each lookup it asks the calling thread's context class loader first, then the loader
 * that loaded Slotcache: an application whose classes only its context class loader sees (the {@code java App.java}
 * launcher, a web application, a plugin) works without passing a loader.
 *
 * <p>A class once found through this loader by {@code Class.forName} stays the answer for that name (the JVM records
 * this loader as one that loaded it, and the codec's Kryo instances remember it too), whatever the context class
 * loader of a later caller. Several applications that share one provider and use classes of the same name must
 * therefore each pass their own class loader. Defines no classes; thread-safe.
 */
final class ContextFirstClassLoader extends ClassLoader {

  /** Set while this thread asks its context class loader, which may delegate back to this one. */
  private static final ThreadLocal<Boolean> ASKING_CONTEXT = new ThreadLocal<>();

  static {
    registerAsParallelCapable();
  }

  ContextFirstClassLoader(ClassLoader providerLoader) {
    super("slotcache-default", providerLoader);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    ClassLoader context = context();
    if (context != null) {
      ASKING_CONTEXT.set(Boolean.TRUE);
      try {
        return context.loadClass(name);
      } catch (ClassNotFoundException e) {
        // Not the application's class: perhaps Slotcache's own (a provider in a server's shared library).
      } finally {
        ASKING_CONTEXT.remove();
      }
    }
    return getParent().loadClass(name);
  }

  @Override
  public URL getResource(String name) {
    ClassLoader context = context();
    URL found = null;
    if (context != null) {
      ASKING_CONTEXT.set(Boolean.TRUE);
      try {
        found = context.getResource(name);
      } finally {
        ASKING_CONTEXT.remove();
      }
    }
    return found != null ? found : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    // A context loader below the provider's lists the provider's files too: each once (ServiceLoader would
    // otherwise instantiate a service twice). Keyed by text, since URL.equals may resolve host names.
    Map<String, URL> found = new LinkedHashMap<>();
    ClassLoader context = context();
    if (context != null) {
      ASKING_CONTEXT.set(Boolean.TRUE);
      try {
        Collections.list(context.getResources(name)).forEach(url -> found.putIfAbsent(url.toExternalForm(), url));
      } finally {
        ASKING_CONTEXT.remove();
      }
    }
    Collections.list(getParent().getResources(name)).forEach(url -> found.putIfAbsent(url.toExternalForm(), url));
    return Collections.enumeration(found.values());
  }

  /**
   * The calling thread's context class loader, or null when it is this loader or the parent, or when this thread
   * is already asking it (a context loader below this one delegates back here: the parent answers).
   */
  private ClassLoader context() {
    if (ASKING_CONTEXT.get() != null) {
      return null;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context == this || context == getParent() ? null : context;
  }

  @Override
  public String toString() {
    return "Slotcache's default class loader (the thread's context class loader, then " + getParent() + ")";
  }
}
