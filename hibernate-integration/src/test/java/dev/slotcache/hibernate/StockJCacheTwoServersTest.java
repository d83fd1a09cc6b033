package dev.slotcache.hibernate;

import java.util.Map;

/**
 * The same two-server contract through stock {@code hibernate-jcache}, configured with nothing but properties:
 * the cluster URI as users write it (a {@code redis://} URL works thanks to the provider's URL handler).
 */
class StockJCacheTwoServersTest extends TwoServersContract {

  @Override
  Map<String, String> cacheSettings(String clusterUri, String serverName) {
    // readme:stock-jcache
    return Map.of(
        "hibernate.cache.region.factory_class", "jcache",
        "hibernate.javax.cache.provider", "dev.slotcache.spi.SlotcacheCachingProvider",
        "hibernate.javax.cache.uri", clusterUri + "?client-name=" + serverName,
        "hibernate.javax.cache.missing_cache_strategy", "create");
    // end:stock-jcache
  }
}
