package dev.slotcache.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decides which classes may be instantiated when decoding bytes read from Redis.
 *
 * <p>Bytes in a shared cluster can be written by any client, so decoding must not instantiate arbitrary
 * classes. Two modes:
 * <ul>
 *   <li><b>deny list</b> (the default): every class may be decoded except those in packages known to carry
 *       deserialization gadgets (reflection, scripting, JNDI, XSLT, proxies, …);</li>
 *   <li><b>allow list</b>: when patterns are given, only JDK value types (java.lang, java.util, java.time,
 *       java.math, java.net.URI/URL, java.util.regex.Pattern) and classes matching a pattern may be decoded.</li>
 * </ul>
 * A pattern is a class name ({@code com.acme.Order}), a package ({@code com.acme.*}, not sub-packages) or a
 * package tree ({@code com.acme.**}). Instances are immutable and thread-safe.
 */
public final class ClassPolicy {

  private static final List<String> ALWAYS_ALLOWED = List.of(
      "java.lang.*", "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*", "java.time.**",
      "java.math.*", "java.net.URI", "java.net.URL", "java.util.regex.Pattern");

  private static final List<String> DENIED = List.of(
      "java.lang.Runtime", "java.lang.ProcessBuilder", "java.lang.Process", "java.lang.Thread",
      "java.lang.ClassLoader", "java.lang.reflect.**", "java.lang.invoke.**", "java.rmi.**", "javax.naming.**",
      "javax.management.**", "javax.script.**", "javax.xml.transform.**", "com.sun.**", "sun.**", "jdk.**",
      "org.apache.commons.collections.functors.*", "org.apache.commons.collections4.functors.*",
      "org.apache.commons.beanutils.*", "org.apache.xalan.**", "org.codehaus.groovy.runtime.**",
      "groovy.lang.**", "org.springframework.beans.factory.**", "org.springframework.aop.**",
      "org.springframework.context.support.**", "bsh.*",
      "org.mozilla.javascript.**", "org.python.**", "net.sf.json.*", "com.mchange.v2.c3p0.**",
      "org.apache.tomcat.dbcp.**", "com.zaxxer.hikari.**", "org.apache.naming.**");

  private static final ClassPolicy DENY_LIST = new ClassPolicy(List.of());

  private final List<String> allowed;

  private ClassPolicy(List<String> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** The default policy: everything but known gadget packages. */
  public static ClassPolicy denyList() {
    return DENY_LIST;
  }

  /** Only JDK value types and classes matching one of {@code patterns}. */
  public static ClassPolicy allowList(List<String> patterns) {
    Objects.requireNonNull(patterns, "patterns");
    List<String> cleaned = new ArrayList<>();
    for (String pattern : patterns) {
      String p = pattern.trim();
      if (p.isEmpty()) {
        continue;
      }
      if (!p.matches("[\\p{L}\\p{N}_$.]+(\\.\\*\\*?)?")) {
        throw new IllegalArgumentException("'" + pattern + "' is not a class-name pattern; use a class name, "
            + "'com.acme.*' (one package) or 'com.acme.**' (a package and its sub-packages)");
      }
      cleaned.add(p);
    }
    return cleaned.isEmpty() ? DENY_LIST : new ClassPolicy(cleaned);
  }

  /** Parses a comma-separated list of patterns; a blank string gives the deny-list default. */
  public static ClassPolicy parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return DENY_LIST;
    }
    return allowList(Arrays.asList(commaSeparated.split(",")));
  }

  /** Whether this policy restricts decoding to an allow list. */
  public boolean isAllowList() {
    return !allowed.isEmpty();
  }

  /** Whether instances of the class named {@code className} may be decoded. */
  public boolean permits(String className) {
    if (className.startsWith("[")) {
      return permitsArray(className);
    }
    if (matchesAny(DENIED, className)) {
      return false;
    }
    return allowed.isEmpty() || matchesAny(ALWAYS_ALLOWED, className) || matchesAny(allowed, className);
  }

  private boolean permitsArray(String arrayName) {
    int dimensions = 0;
    while (dimensions < arrayName.length() && arrayName.charAt(dimensions) == '[') {
      dimensions++;
    }
    if (arrayName.length() > dimensions + 2 && arrayName.charAt(dimensions) == 'L' && arrayName.endsWith(";")) {
      return permits(arrayName.substring(dimensions + 1, arrayName.length() - 1));
    }
    return true; // primitive arrays
  }

  private static boolean matchesAny(List<String> patterns, String className) {
    for (String pattern : patterns) {
      if (matches(pattern, className)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String className) {
    if (pattern.endsWith(".**")) {
      return className.startsWith(pattern.substring(0, pattern.length() - 2));
    }
    if (pattern.endsWith(".*")) {
      String pkg = pattern.substring(0, pattern.length() - 1);
      return className.startsWith(pkg) && className.indexOf('.', pkg.length()) < 0;
    }
    return className.equals(pattern) || className.startsWith(pattern + "$");
  }

  @Override
  public String toString() {
    return allowed.isEmpty() ? "ClassPolicy[deny-list]" : "ClassPolicy[allow-list: " + String.join(", ", allowed) + "]";
  }
}
