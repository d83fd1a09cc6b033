package dev.slotcache.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what a user gave a cache (loader, writer, expiry policy, listeners, filters) when it is
 * {@link AutoCloseable}. Closing a cache never fails because of a user's resource, and one that fails does not
 * keep the others open: the failures become the suppressed exceptions of one {@link CacheException}, logged at
 * WARN (as Caffeine's JCache does). One instance per close; not thread-safe.
 */
public final class UserResources {

  private static final Logger LOG = LoggerFactory.getLogger(UserResources.class);

  private final String cacheName;
  private final List<String> failed = new ArrayList<>();
  private final List<Exception> failures = new ArrayList<>();

  public UserResources(String cacheName) {
    this.cacheName = Objects.requireNonNull(cacheName, "cacheName");
  }

  /** Closes {@code resource} when it is {@link AutoCloseable}; a failure is kept, not thrown. */
  public void close(String what, Object resource) {
    if (resource instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        failed.add(what);
        failures.add(e);
      }
    }
  }

  /** Logs the failures kept so far, if any, as one warning, and forgets them. */
  public void warnOfFailures() {
    if (failures.isEmpty()) {
      return;
    }
    String what = String.join(", ", failed);
    CacheException failure = new CacheException("cache '" + cacheName + "': closing its " + what + " failed");
    failures.forEach(failure::addSuppressed);
    LOG.warn("cache '{}': closing its {} failed", cacheName, what, failure);
    failed.clear();
    failures.clear();
  }
}
