package dev.slotcache.internal.management;

import java.net.URI;
import java.util.Objects;
import javax.cache.CacheException;

/**
 * The two MXBeans of one cache (statistics, configuration), registered while switched on. Thread-safe.
 */
public final class CacheMBeans {

  private final URI managerUri;
  private final String cacheName;
  private final CacheStatistics statistics;
  private final CacheConfigurationBean configuration;

  public CacheMBeans(URI managerUri, String cacheName, CacheStatistics statistics,
      CacheConfigurationBean configuration) {
    this.managerUri = Objects.requireNonNull(managerUri, "managerUri");
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
    this.statistics = Objects.requireNonNull(statistics, "statistics");
    this.configuration = Objects.requireNonNull(configuration, "configuration");
  }

  /** Counts (or stops counting) and registers (or unregisters) the statistics bean. */
  public synchronized void statistics(boolean enabled) {
    statistics.setEnabled(enabled);
    if (enabled) {
      MBeans.register(MBeans.Kind.CacheStatistics, managerUri, cacheName, statistics);
    } else {
      MBeans.unregister(MBeans.Kind.CacheStatistics, managerUri, cacheName, statistics);
    }
  }

  /** Registers (or unregisters) the configuration bean. */
  public synchronized void management(boolean enabled) {
    if (enabled) {
      MBeans.register(MBeans.Kind.CacheConfiguration, managerUri, cacheName, configuration);
    } else {
      MBeans.unregister(MBeans.Kind.CacheConfiguration, managerUri, cacheName, configuration);
    }
  }

  /** Unregisters both; the failures (after trying both) as one exception, or null. */
  public synchronized CacheException unregisterAll() {
    CacheException failure = null;
    for (MBeans.Kind kind : new MBeans.Kind[] {MBeans.Kind.CacheStatistics, MBeans.Kind.CacheConfiguration}) {
      try {
        MBeans.unregister(kind, managerUri, cacheName, kind == MBeans.Kind.CacheStatistics ? statistics : configuration);
      } catch (CacheException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }
}
