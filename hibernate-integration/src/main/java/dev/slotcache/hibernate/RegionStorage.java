package dev.slotcache.hibernate;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.processor.EntryProcessor;
import org.hibernate.cache.spi.support.DomainDataStorageAccess;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

/**
 * One region's data in one Slotcache cache, with the outage behaviour of {@link OutagePolicy}.
 *
 * <p>The cache is opened on first use, not when the SessionFactory starts, so an application starts while Redis
 * is down. After a failed operation every region of the factory leaves Redis alone for a while (see
 * {@link OutagePolicy#backOff()}), so an outage costs one timeout now and then, not one per operation. When an
 * operation that invalidates (a remove, a lock, an overwrite) fails, the entry it meant to
 * invalidate may still sit in Redis: the region then treats every read as a miss and skips every write until it
 * has cleared its cache, which it tries at most once a second. Reads and loads that fail just miss. Thread-safe.
 */
final class RegionStorage implements DomainDataStorageAccess {

  private final String name;
  private final Function<String, Cache<Object, Object>> opener;
  private final OutagePolicy outages;
  private final Object openLock = new Object();
  private final AtomicBoolean needsClear = new AtomicBoolean();
  private volatile Cache<Object, Object> cache;
  /** Called when this region lost an invalidation (the timestamps region dirties every query region). */
  private volatile Runnable onLostInvalidation = () -> { };

  RegionStorage(String name, Function<String, Cache<Object, Object>> opener, OutagePolicy outages) {
    this.name = Objects.requireNonNull(name, "name");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.outages = Objects.requireNonNull(outages, "outages");
  }

  String name() {
    return name;
  }

  void onLostInvalidation(Runnable action) {
    this.onLostInvalidation = Objects.requireNonNull(action, "action");
  }

  /** Marks the region as possibly holding entries that should have been invalidated. */
  void lostInvalidation() {
    needsClear.set(true);
    onLostInvalidation.run();
  }

  /** The open cache; opens it (may throw a CacheException). */
  Cache<Object, Object> cache() {
    Cache<Object, Object> open = cache;
    if (open == null) {
      synchronized (openLock) {
        open = cache;
        if (open == null) {
          open = opener.apply(name);
          cache = open;
        }
      }
    }
    return open;
  }

  /** True when the cache may be used now: no recent failure, opened, and cleared if it lost invalidations. */
  private boolean usable() {
    if (outages.quiet()) {
      return false;
    }
    if (cache != null && !needsClear.get()) {
      return true;
    }
    try {
      Cache<Object, Object> open = cache();
      if (needsClear.get()) {
        open.clear();
        needsClear.set(false);
      }
      return true;
    } catch (CacheException e) {
      backOff();
      outages.failed(name, cache == null ? "opening the cache" : "clearing after an outage", e);
      return false;
    }
  }

  private void backOff() {
    outages.backOff();
  }

  /** A read; a miss (null) when the cache cannot answer. */
  <T> T read(String operation, Supplier<T> read) {
    if (!usable()) {
      return null;
    }
    try {
      return read.get();
    } catch (CacheException e) {
      backOff();
      outages.failed(name, operation, e);
      return null;
    }
  }

  /**
   * A write; {@code invalidating} says whether its failure may leave a stale entry behind (then the region is
   * cleared once Redis answers again). Returns null when the cache could not be used.
   */
  <T> T write(String operation, boolean invalidating, Supplier<T> write) {
    if (!usable()) {
      if (invalidating) {
        lostInvalidation();
      }
      return null;
    }
    try {
      return write.get();
    } catch (CacheException e) {
      backOff();
      if (invalidating) {
        lostInvalidation();
      }
      outages.failed(name, operation, e);
      return null;
    }
  }

  /** Runs {@code processor} on the entry atomically across JVMs ({@code Cache.invoke}); null when unusable. */
  <T> T update(String operation, Object key, EntryProcessor<Object, Object, T> processor) {
    return write(operation, true, () -> cache().invoke(key, processor));
  }

  @Override
  public Object getFromCache(Object key, SharedSessionContractImplementor session) {
    return read("get", () -> cache().get(key));
  }

  @Override
  public void putIntoCache(Object key, Object value, SharedSessionContractImplementor session) {
    write("put", true, () -> {
      cache().put(key, value);
      return null;
    });
  }

  @Override
  public void putFromLoad(Object key, Object value, SharedSessionContractImplementor session) {
    // A lost load leaves nothing stale behind.
    write("put from load", false, () -> {
      cache().put(key, value);
      return null;
    });
  }

  @Override
  public boolean contains(Object key) {
    Boolean found = read("contains", () -> cache().containsKey(key));
    return found != null && found;
  }

  @Override
  public void evictData() {
    write("evict all", true, () -> {
      cache().clear();
      return null;
    });
  }

  @Override
  public void evictData(Object key) {
    write("evict", true, () -> cache().remove(key));
  }

  @Override
  public void release() {
    // The cache belongs to the CacheManager, which SessionFactories may share; it closes with the manager.
    cache = null;
  }

  @Override
  public String toString() {
    return "RegionStorage[" + name + "]";
  }
}
