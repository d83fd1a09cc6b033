package dev.slotcache.cdi;

import dev.slotcache.configuration.SlotcacheConfiguration;
import javax.cache.Cache;
import javax.cache.configuration.Configuration;

/**
 * Whether a cache loads a miss once across every JVM sharing it: a Slotcache cache whose {@code single-flight}
 * setting is on (the default). Other providers' caches, and a class path without Slotcache, never do.
 */
final class SingleFlightCaches {

  private static final boolean SLOTCACHE_VISIBLE = slotcacheVisible();

  private SingleFlightCaches() {
  }

  static boolean loadOnce(Cache<?, ?> cache) {
    return SLOTCACHE_VISIBLE && Slotcache.loadsOnce(cache);
  }

  private static boolean slotcacheVisible() {
    try {
      Class.forName("dev.slotcache.configuration.SlotcacheConfiguration", false,
          SingleFlightCaches.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Apart, so that its reference to Slotcache's class links only where the class is there. */
  private static final class Slotcache {
    static boolean loadsOnce(Cache<?, ?> cache) {
      @SuppressWarnings("unchecked")
      Configuration<?, ?> configuration = cache.getConfiguration(Configuration.class);
      return configuration instanceof SlotcacheConfiguration<?, ?> own && !Boolean.FALSE.equals(own.getSingleFlight());
    }
  }
}
