package dev.slotcache;

import dev.slotcache.configuration.SlotcacheSettings;
import dev.slotcache.internal.ClusterUriParts;
import dev.slotcache.internal.Redaction;
import dev.slotcache.internal.store.ClusterEndpoint;
import dev.slotcache.spi.SlotcacheCachingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * Works out, from a CacheManager URI and properties, which cluster to reach, under which namespace, with
 * which settings (see {@link SlotcacheSettings} for the layering). Pure: reads resources, opens no connection.
 */
final class ManagerSetup {

  static final String DEFAULT_NAMESPACE = "slotcache";

  final SlotcacheSettings settings;
  final ClusterEndpoint endpoint;
  final String namespace;

  private ManagerSetup(SlotcacheSettings settings, ClusterEndpoint endpoint, String namespace) {
    this.settings = settings;
    this.endpoint = endpoint;
    this.namespace = namespace;
  }

  /**
   * Resolves and checks everything: every setting, manager-wide and per cache, is validated here, so a bad value
   * fails when the manager is created.
   */
  static ManagerSetup resolve(URI uri, ClassLoader classLoader, Properties properties) {
    List<Properties> layers = new ArrayList<>();
    layers.add(systemLayer());
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    String clusterUri = null;
    String namespace = null;
    if (scheme.equals("redis") || scheme.equals("rediss")) {
      clusterUri = uri.toString();
    } else if (scheme.equals("file") || scheme.equals("jar") || scheme.equals("classpath")) {
      Properties resource = load(uri, classLoader);
      layers.add(resource);
      clusterUri = resource.getProperty(SlotcacheSettings.URI.key());
    } else if (!uri.equals(SlotcacheCachingProvider.DEFAULT_URI)) {
      namespace = "urn".equals(scheme) ? uri.getRawSchemeSpecificPart() : uri.toString();
    }
    layers.add(properties);
    // The cluster URI: the manager's own, else the configured default.
    SlotcacheSettings beforeQuery = SlotcacheSettings.of(layers);
    if (clusterUri == null) {
      clusterUri = properties.getProperty(SlotcacheSettings.URI.key());
    }
    if (clusterUri == null) {
      clusterUri = defaultClusterUri(beforeQuery);
    }
    ParsedRedisUri parsed = ParsedRedisUri.parse(clusterUri);
    // URI options sit under the properties passed to getCacheManager, above everything else.
    layers.add(layers.size() - 1, parsed.options);
    SlotcacheSettings settings = SlotcacheSettings.of(layers);
    if (namespace == null) {
      namespace = parsed.namespace != null ? parsed.namespace : DEFAULT_NAMESPACE;
    }
    String configuredNamespace = settings.get(SlotcacheSettings.NAMESPACE);
    if (configuredNamespace != null && !configuredNamespace.isBlank()) {
      namespace = configuredNamespace;
    }
    String user = parsed.user != null ? parsed.user : settings.get(SlotcacheSettings.USER);
    String password = parsed.password != null ? parsed.password : settings.get(SlotcacheSettings.PASSWORD);
    if (properties.getProperty(SlotcacheSettings.USER.key()) != null) {
      user = properties.getProperty(SlotcacheSettings.USER.key());
    }
    if (properties.getProperty(SlotcacheSettings.PASSWORD.key()) != null) {
      password = properties.getProperty(SlotcacheSettings.PASSWORD.key());
    }
    ClusterEndpoint endpoint = new ClusterEndpoint(parsed.seeds, user, password,
        parsed.tls || settings.value(SlotcacheSettings.TLS),
        settings.value(SlotcacheSettings.TIMEOUT), settings.value(SlotcacheSettings.CONNECT_TIMEOUT),
        settings.value(SlotcacheSettings.MAX_ATTEMPTS), settings.value(SlotcacheSettings.MAX_RETRY_TIME),
        settings.value(SlotcacheSettings.POOL_SIZE), settings.value(SlotcacheSettings.CLIENT_NAME));
    return new ManagerSetup(settings, endpoint, namespace);
  }

  private static Properties systemLayer() {
    Properties layer = new Properties();
    Properties system = System.getProperties();
    for (String key : system.stringPropertyNames()) {
      if (key.startsWith(SlotcacheSettings.PREFIX)) {
        layer.setProperty(key, system.getProperty(key));
      }
    }
    return layer;
  }

  private static String defaultClusterUri(SlotcacheSettings settings) {
    String fromSystem = System.getProperty(SlotcacheSettings.URI.key());
    if (fromSystem != null && !fromSystem.isBlank()) {
      return fromSystem;
    }
    String fromEnv = System.getenv("SLOTCACHE_URI");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return settings.get(SlotcacheSettings.URI);
  }

  private static Properties load(URI uri, ClassLoader classLoader) {
    Properties properties = new Properties();
    try (InputStream in = open(uri, classLoader)) {
      properties.load(in);
    } catch (IOException e) {
      throw new CacheException("cannot read Slotcache settings from " + mask(uri.toString()) + ": " + e.getMessage(), e);
    }
    return properties;
  }

  private static InputStream open(URI uri, ClassLoader classLoader) throws IOException {
    if ("classpath".equalsIgnoreCase(uri.getScheme())) {
      String path = uri.getSchemeSpecificPart();
      path = path.startsWith("/") ? path.substring(1) : path;
      InputStream in = classLoader.getResourceAsStream(path);
      if (in == null) {
        throw new IOException("no resource '" + path + "' on the class path");
      }
      return in;
    }
    return uri.toURL().openStream();
  }

  /** The parts of a {@code redis://} or {@code rediss://} URI. */
  static final class ParsedRedisUri {
    final boolean tls;
    final String user;
    final String password;
    final List<String> seeds;
    final String namespace;
    final Properties options = new Properties();

    private ParsedRedisUri(boolean tls, String user, String password, List<String> seeds, String namespace) {
      this.tls = tls;
      this.user = user;
      this.password = password;
      this.seeds = seeds;
      this.namespace = namespace;
    }

    static ParsedRedisUri parse(String text) {
      String masked = mask(text);
      ClusterUriParts parts = ClusterUriParts.split(text);
      String scheme = parts == null ? "" : parts.scheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("redis") && !scheme.equals("rediss")) {
        throw new CacheException("'" + masked + "' is not a cluster URI; expected "
            + "redis://[user[:password]@]host:port[,host:port...][/namespace][?option=value&...]");
      }
      String user = null;
      String password = null;
      String userInfo = parts.userInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        if (user.isEmpty()) {
          user = null;
        }
      }
      List<String> seeds = new ArrayList<>();
      for (String seed : parts.hosts().split(",")) {
        String s = seed.trim();
        if (s.isEmpty()) {
          continue;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
          throw new CacheException("seed '" + s + "' in '" + masked + "' needs the form host:port");
        }
        try {
          int port = Integer.parseInt(s.substring(colon + 1));
          if (port < 1 || port > 65535) {
            throw new NumberFormatException();
          }
        } catch (NumberFormatException e) {
          throw new CacheException("seed '" + s + "' in '" + masked + "' has no valid port (1-65535)");
        }
        seeds.add(s);
      }
      if (seeds.isEmpty()) {
        throw new CacheException("'" + masked + "' names no seed node; expected redis://host:port[,host:port...]");
      }
      // The path is "" or "/namespace".
      String namespace = parts.path().length() <= 1 ? null : decode(parts.path().substring(1));
      ParsedRedisUri parsed = new ParsedRedisUri(scheme.equals("rediss"), user, password, List.copyOf(seeds), namespace);
      String query = parts.query();
      if (query != null && !query.isEmpty()) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new CacheException("option '" + pair + "' in '" + masked + "' needs the form name=value");
          }
          String name = decode(pair.substring(0, eq));
          String key = name.startsWith(SlotcacheSettings.PREFIX) ? name : SlotcacheSettings.PREFIX + name;
          parsed.options.setProperty(key, decode(pair.substring(eq + 1)));
        }
      }
      return parsed;
    }

    private static String decode(String s) {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
  }

  /** A URI for messages: passwords replaced by {@code ****} (user info and options). */
  static String mask(String uri) {
    return Redaction.forMessages(uri);
  }

  @Override
  public String toString() {
    return "ManagerSetup[" + endpoint + ", namespace=" + namespace + "]";
  }
}
