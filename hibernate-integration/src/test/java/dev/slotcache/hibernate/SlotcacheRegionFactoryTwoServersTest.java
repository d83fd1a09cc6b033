package dev.slotcache.hibernate;

import java.util.Map;

/** The two-server contract through the dedicated region factory, found by its short name. */
class SlotcacheRegionFactoryTwoServersTest extends TwoServersContract {

  @Override
  Map<String, String> cacheSettings(String clusterUri, String serverName) {
    // readme:dedicated-factory
    return Map.of(
        "hibernate.cache.region.factory_class", "slotcache",
        "hibernate.cache.slotcache.uri", clusterUri + "?client-name=" + serverName);
    // end:dedicated-factory
  }
}
