package dev.slotcache.spi;

import dev.slotcache.SlotcacheCacheManager;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The Slotcache {@link CachingProvider}: CacheManagers whose caches live in a Redis Cluster.
 *
 * <p>A CacheManager is identified by (URI, ClassLoader). {@code redis://} and {@code rediss://} URIs name a
 * cluster and a namespace; {@code file:}, {@code jar:} and {@code classpath:} URIs name a properties file of
 * settings; any other URI (the default one included) names a namespace on the default cluster
 * ({@code slotcache.uri}, else {@code SLOTCACHE_URI}, else {@code redis://127.0.0.1:6379}). A null ClassLoader
 * means {@link #getDefaultClassLoader()}: the calling thread's context class loader, then Slotcache's own.
 * Thread-safe.
 */
public final class SlotcacheCachingProvider implements CachingProvider {

  /** The provider's default URI: the namespace of the default cluster URI. */
  public static final URI DEFAULT_URI = URI.create("urn:slotcache:default");

  private static final ClassLoader DEFAULT_CLASS_LOADER = new ContextFirstClassLoader(
      Objects.requireNonNullElse(SlotcacheCachingProvider.class.getClassLoader(), ClassLoader.getSystemClassLoader()));

  private final Map<ClassLoader, Map<URI, SlotcacheCacheManager>> managers = new WeakHashMap<>();

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties props = properties == null ? new Properties() : properties;
    synchronized (managers) {
      Map<URI, SlotcacheCacheManager> byUri = managers.computeIfAbsent(loader, k -> new HashMap<>());
      SlotcacheCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        manager = new SlotcacheCacheManager(this, managerUri, loader, props);
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  /**
   * One instance for every provider: the thread's context class loader at each lookup, then Slotcache's own
   * (see docs/decisions.md, "The default class loader").
   */
  @Override
  public ClassLoader getDefaultClassLoader() {
    return DEFAULT_CLASS_LOADER;
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public void close() {
    List<SlotcacheCacheManager> all = new ArrayList<>();
    synchronized (managers) {
      managers.values().forEach(byUri -> all.addAll(byUri.values()));
      managers.clear();
    }
    closeAll(all);
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    List<SlotcacheCacheManager> all = new ArrayList<>();
    synchronized (managers) {
      Map<URI, SlotcacheCacheManager> byUri = managers.remove(loader);
      if (byUri != null) {
        all.addAll(byUri.values());
      }
    }
    closeAll(all);
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    SlotcacheCacheManager manager;
    synchronized (managers) {
      Map<URI, SlotcacheCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.remove(managerUri);
      if (byUri != null && byUri.isEmpty()) {
        managers.remove(loader);
      }
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** Called by a manager that closes itself, so the next request creates a new one. */
  public void release(SlotcacheCacheManager manager) {
    synchronized (managers) {
      Map<URI, SlotcacheCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null && byUri.get(manager.getURI()) == manager) {
        byUri.remove(manager.getURI());
      }
    }
  }

  private static void closeAll(List<SlotcacheCacheManager> all) {
    CacheException failure = null;
    for (SlotcacheCacheManager manager : all) {
      try {
        manager.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = new CacheException("closing the cache managers failed");
        }
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    // Entries live in Redis: every cache stores by value.
    return false;
  }
}
