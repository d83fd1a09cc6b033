package dev.slotcache.internal.management;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.cache.CacheException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a cache's MXBeans in the platform MBeanServer. Nothing else is registered under {@code javax.cache}.
 *
 * <p><b>Names.</b> {@code javax.cache:type=CacheConfiguration|CacheStatistics,CacheManager=<uri>,Cache=<name>},
 * with {@code , : = \n} replaced by {@code .} as the spec (and the TCK, which looks the beans up by name) has it.
 * A value that is still no plain {@link ObjectName} value after that ({@code *} and {@code ?} would make a pattern,
 * {@code "} a quoted value) is quoted instead, unreplaced ({@link ObjectName#quote}). The URI carries no
 * credentials: user info and {@code user} / {@code password} options are left out.
 *
 * <p><b>One name, two caches.</b> When two caches map to one name ({@code a,b} and {@code a.b}), the first keeps
 * the bean and the second gets none, with a warning; unregistering removes only the caller's own bean. The same
 * cache opened again by another manager on the same URI (another class loader) takes the name over.
 *
 * <p>Every JMX failure arrives as a {@link CacheException} naming the cache. Thread-safe.
 */
public final class MBeans {

  private static final Logger LOG = LoggerFactory.getLogger(MBeans.class);
  /** Who holds each name registered here: tells a collision from a reopening. Guarded by itself. */
  private static final Map<ObjectName, Holder> HOLDERS = new HashMap<>();

  /** The kinds of bean: the spec's two (domain {@code javax.cache}) and the near cache's (domain {@code dev.slotcache}). */
  public enum Kind {
    CacheConfiguration, CacheStatistics, NearCache;

    String domain() {
      return this == NearCache ? "dev.slotcache" : "javax.cache";
    }
  }

  private record Holder(String managerUri, String cacheName, Object bean) {
    boolean sameCache(String otherUri, String otherName) {
      return managerUri.equals(otherUri) && cacheName.equals(otherName);
    }
  }

  private MBeans() {
  }

  public static ObjectName name(Kind kind, URI managerUri, String cacheName) {
    String text = kind.domain() + ":type=" + kind + ",CacheManager=" + value(withoutCredentials(managerUri)) + ",Cache="
        + value(cacheName);
    try {
      return new ObjectName(text);
    } catch (JMException | RuntimeException e) {
      throw new CacheException("cache '" + cacheName + "': cannot name its " + kind + " MBean (" + text + "): "
          + describe(e), e);
    }
  }

  /**
   * Registers {@code bean} as the {@code kind} bean of the cache, unless the name belongs to another cache (then
   * logs a warning and registers nothing).
   */
  public static void register(Kind kind, URI managerUri, String cacheName, Object bean) {
    ObjectName name = name(kind, managerUri, cacheName);
    String uri = withoutCredentials(managerUri);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    synchronized (HOLDERS) {
      try {
        Holder holder = HOLDERS.get(name);
        if (server.isRegistered(name)) {
          if (holder == null || !holder.sameCache(uri, cacheName)) {
            LOG.warn("cache '{}' of {}: its {} MBean is not registered, because {} belongs to {} already (JMX names "
                + "replace , : = and line breaks with .); give one of the caches another name to see both",
                cacheName, uri, kind, name, holder == null ? "a bean registered elsewhere"
                    : "cache '" + holder.cacheName + "' of " + holder.managerUri);
            return;
          }
          if (holder.bean == bean) {
            return;
          }
          server.unregisterMBean(name);
        }
        server.registerMBean(bean, name);
        HOLDERS.put(name, new Holder(uri, cacheName, bean));
      } catch (JMException | RuntimeException e) {
        throw new CacheException("cache '" + cacheName + "' of " + uri + ": cannot register its " + kind + " MBean "
            + name + ": " + describe(e), e);
      }
    }
  }

  /** Unregisters {@code bean} when it is what the cache's {@code kind} name holds; else does nothing. */
  public static void unregister(Kind kind, URI managerUri, String cacheName, Object bean) {
    ObjectName name = name(kind, managerUri, cacheName);
    synchronized (HOLDERS) {
      Holder holder = HOLDERS.get(name);
      if (holder == null || holder.bean != bean) {
        return;
      }
      HOLDERS.remove(name);
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
      } catch (InstanceNotFoundException e) {
        // unregistered by someone else meanwhile: nothing left to do
      } catch (JMException | RuntimeException e) {
        throw new CacheException("cache '" + cacheName + "' of " + holder.managerUri + ": cannot unregister its "
            + kind + " MBean " + name + ": " + describe(e), e);
      }
    }
  }

  /** JMX wraps the real reason (RuntimeOperationsException, RuntimeMBeanException, ...) without a message. */
  private static String describe(Exception e) {
    Throwable shown = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
    return shown.toString();
  }

  /** The spec's mapping where its result is a plain value; else the text quoted. */
  static String value(String text) {
    String mapped = text.replaceAll("[,:=\n]", ".");
    boolean plain = mapped.indexOf('"') < 0 && mapped.indexOf('*') < 0 && mapped.indexOf('?') < 0;
    return plain ? mapped : ObjectName.quote(text);
  }

  /** The URI as bean names show it: without user info and without user or password options. */
  static String withoutCredentials(URI uri) {
    return dev.slotcache.internal.Redaction.withoutCredentials(uri.toString());
  }

}
