package dev.slotcache;

import dev.slotcache.internal.store.CacheRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a namespace's cache registry whole while this manager has caches open: every {@value #CHECK_SECONDS} s, when
 * the cluster lost the registry (a restart without persistence, {@code FLUSHALL}, eviction), it records this JVM's
 * open caches again, so that JVMs started later still find them. A cache another JVM destroyed is not brought back:
 * the registry is then intact. Thread-safe; {@link #close()} stops its thread.
 */
final class RegistryKeeper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SlotcacheCacheManager.class);
  private static final int CHECK_SECONDS = 2;

  private final CacheRegistry registry;
  private final String namespace;
  /** What is recorded in the cluster for each open cache. */
  private final ConcurrentMap<String, CacheDescriptor> open = new ConcurrentHashMap<>();
  private ScheduledExecutorService thread;
  private volatile boolean closed;

  RegistryKeeper(CacheRegistry registry, String namespace) {
    this.registry = registry;
    this.namespace = namespace;
  }

  /** A cache is open here with this recorded configuration; starts the checks with the first one. */
  synchronized void opened(String cacheName, CacheDescriptor descriptor) {
    open.put(cacheName, descriptor);
    if (thread == null && !closed) {
      thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "slotcache-registry-" + namespace);
        t.setDaemon(true);
        return t;
      });
      thread.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** A cache is no longer open here. */
  void closed(String cacheName) {
    open.remove(cacheName);
  }

  private void check() {
    if (closed || open.isEmpty()) {
      return;
    }
    try {
      if (registry.intact()) {
        return;
      }
      Map<String, byte[]> records = new LinkedHashMap<>();
      open.forEach((name, descriptor) -> records.put(name, descriptor.encode()));
      int restored = registry.restore(records);
      LOG.warn("the cache registry of namespace {} was gone from the cluster (a restart without persistence, "
          + "FLUSHALL or eviction); recorded this JVM's {} open cache(s) again: {}", namespace, restored,
          records.keySet());
    } catch (RuntimeException e) {
      LOG.debug("checking the cache registry of namespace {} failed; trying again in {} s", namespace, CHECK_SECONDS,
          e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    open.clear();
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
