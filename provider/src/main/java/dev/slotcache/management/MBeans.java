package dev.slotcache.management;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers a cache's MXBeans in the platform MBeanServer under the names the spec gives:
 * {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>}, with
 * {@code , : = \n} in names replaced by {@code .}. Nothing else is registered under {@code javax.cache}.
 */
public final class MBeans {

  /** The two kinds of bean. */
  public enum Kind { CacheConfiguration, CacheStatistics }

  private MBeans() {
  }

  public static ObjectName name(Kind kind, String managerUri, String cacheName) {
    try {
      return new ObjectName("javax.cache:type=" + kind + ",CacheManager=" + safe(managerUri) + ",Cache="
          + safe(cacheName));
    } catch (JMException e) {
      throw new CacheException("cannot name the " + kind + " MBean of cache '" + cacheName + "'", e);
    }
  }

  /** Registers {@code bean}; a bean already there under the name is replaced. */
  public static void register(Kind kind, String managerUri, String cacheName, Object bean) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = name(kind, managerUri, cacheName);
    try {
      try {
        server.registerMBean(bean, name);
      } catch (InstanceAlreadyExistsException e) {
        server.unregisterMBean(name);
        server.registerMBean(bean, name);
      }
    } catch (JMException e) {
      throw new CacheException("cannot register the " + kind + " MBean of cache '" + cacheName + "'", e);
    }
  }

  public static void unregister(Kind kind, String managerUri, String cacheName) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      server.unregisterMBean(name(kind, managerUri, cacheName));
    } catch (InstanceNotFoundException e) {
      // not registered: nothing to do
    } catch (JMException e) {
      throw new CacheException("cannot unregister the " + kind + " MBean of cache '" + cacheName + "'", e);
    }
  }

  private static String safe(String text) {
    return text.replaceAll("[,:=\n]", ".");
  }
}
