package dev.slotcache.internal.near;

import dev.slotcache.internal.management.MBeans;
import java.lang.management.ManagementFactory;
import javax.cache.Cache;
import javax.management.JMException;
import javax.management.ObjectName;

/** Reads a near cache's MBean as an operator would: by attribute name, through the platform MBean server. */
record NearCacheBeanReader(ObjectName name) {

  static NearCacheBeanReader of(Cache<?, ?> cache) {
    return new NearCacheBeanReader(MBeans.name(MBeans.Kind.NearCache, cache.getCacheManager().getURI(),
        cache.getName()));
  }

  boolean registered() {
    return ManagementFactory.getPlatformMBeanServer().isRegistered(name);
  }

  /** A counter ({@code Hits}, {@code Fills}, …), {@code Size} or {@code MaxEntries}. */
  long get(String attribute) {
    return (Long) read(attribute);
  }

  boolean tracking() {
    return (Boolean) read("Tracking");
  }

  private Object read(String attribute) {
    try {
      return ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
    } catch (JMException e) {
      throw new AssertionError("cannot read " + attribute + " of " + name, e);
    }
  }
}
