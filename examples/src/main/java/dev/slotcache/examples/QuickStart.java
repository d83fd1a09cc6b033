package dev.slotcache.examples;

import java.net.URI;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;

/** The README's first sample, compiled and run by the examples' tests. */
public final class QuickStart {

  private QuickStart() {
  }

  /** Stores and reads one entry through a cluster given by {@code clusterUri} and returns what was read. */
  public static String run(String clusterUri) {
    // readme:quickstart
    CacheManager manager = Caching.getCachingProvider()
        .getCacheManager(URI.create(clusterUri + "/shop"), null);   // e.g. redis://10.0.0.5:7000/shop
    Cache<String, String> carts = manager.createCache("carts", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR)));
    carts.put("alice", "3 books");                   // SET shop:{carts:17}:alice ... PX 3600000
    String cart = carts.get("alice");                // "3 books", from any JVM on the cluster
    // end:quickstart
    manager.destroyCache("carts");
    manager.close();
    return cart;
  }
}
