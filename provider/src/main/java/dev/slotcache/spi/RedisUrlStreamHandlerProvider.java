package dev.slotcache.spi;

import dev.slotcache.internal.ClusterUriParts;
import dev.slotcache.internal.Redaction;
import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.net.spi.URLStreamHandlerProvider;
import java.util.Locale;

/**
 * Lets {@code new URL("redis://host:port,host:port/namespace?option=value")} (and {@code rediss://}) succeed, so
 * that frameworks which resolve a CacheManager URI as a resource URL and then call {@link URL#toURI()} — Hibernate's
 * {@code hibernate.javax.cache.uri} does exactly that — hand the cluster URI to the provider unchanged.
 *
 * <p>Such a URL only names a cluster: {@link URLConnection opening} it fails with an {@link IOException} that
 * says so. The parts of the URL are kept verbatim (a seed list is not a host name), and equality compares the
 * text, without name resolution.
 *
 * <p>The JDK finds URL handler providers only through the system class loader: in an application server,
 * where Slotcache sits in a web application's class loader, name a properties file instead (see the README).
 */
public final class RedisUrlStreamHandlerProvider extends URLStreamHandlerProvider {

  @Override
  public URLStreamHandler createURLStreamHandler(String protocol) {
    String scheme = protocol.toLowerCase(Locale.ROOT);
    return scheme.equals("redis") || scheme.equals("rediss") ? new ClusterUrlHandler() : null;
  }

  /** Keeps authority, path and query as written; never connects. */
  private static final class ClusterUrlHandler extends URLStreamHandler {

    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      throw new IOException("'" + Redaction.forMessages(toText(url)) + "' names a Redis Cluster for Slotcache; it is not a resource that can "
          + "be opened. Pass it as a CacheManager URI (CachingProvider.getCacheManager) instead");
    }

    @Override
    protected void parseURL(URL url, String spec, int start, int limit) {
      String rest = spec.substring(start, limit);
      String ref = null;
      int hash = rest.indexOf('#');
      if (hash >= 0) {
        ref = rest.substring(hash + 1);
        rest = rest.substring(0, hash);
      }
      if (!rest.startsWith("//")) {
        throw new IllegalArgumentException("a " + url.getProtocol() + " URL needs the form "
            + url.getProtocol() + "://host:port[,host:port...][/namespace][?option=value&...]");
      }
      ClusterUriParts parts = ClusterUriParts.split(url.getProtocol() + ":" + rest);
      setURL(url, url.getProtocol(), parts.hosts(), -1, parts.authority(), parts.userInfo(), parts.path(),
          parts.query(), ref);
    }

    @Override
    protected String toExternalForm(URL url) {
      StringBuilder text = new StringBuilder(url.getProtocol()).append("://").append(url.getAuthority())
          .append(url.getPath());
      if (url.getQuery() != null) {
        text.append('?').append(url.getQuery());
      }
      if (url.getRef() != null) {
        text.append('#').append(url.getRef());
      }
      return text.toString();
    }

    @Override
    protected boolean equals(URL a, URL b) {
      return toExternalForm(a).equals(toExternalForm(b));
    }

    @Override
    protected int hashCode(URL url) {
      return toExternalForm(url).hashCode();
    }

    @Override
    protected boolean sameFile(URL a, URL b) {
      return equals(a, b);
    }

    @Override
    protected boolean hostsEqual(URL a, URL b) {
      return a.getHost().equalsIgnoreCase(b.getHost());
    }

    @Override
    protected synchronized java.net.InetAddress getHostAddress(URL url) {
      return null; // a seed list, not a host: never resolved
    }

    private static String toText(URL url) {
      return url.getProtocol() + "://" + url.getAuthority() + url.getPath()
          + (url.getQuery() == null ? "" : "?" + url.getQuery());
    }
  }
}
