package dev.slotcache.hibernate;

import dev.slotcache.configuration.SlotcacheSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import javax.cache.CacheManager;

/**
 * The settings a Slotcache CacheManager resolved; the region factory asks them which regions have settings of
 * their own ({@link SlotcacheSettings#ownOfCache}).
 *
 * <p>A stand-in until the provider offers {@code SlotcacheCacheManager.getSettings()}: meanwhile the layers the
 * manager read are read once more — its system properties, the properties file its URI names and the properties it
 * was given — which misses per-region options in a {@code redis://} URI's query string. With the accessor,
 * {@link #of} is {@code manager.unwrap(SlotcacheCacheManager.class).getSettings()} and this class goes.
 */
final class ManagerSettings {

  private ManagerSettings() {
  }

  /** The settings of an open Slotcache CacheManager (which has checked them already). */
  static SlotcacheSettings of(CacheManager manager) {
    Properties system = new Properties();
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith(SlotcacheSettings.PREFIX)) {
        system.setProperty(key, System.getProperty(key));
      }
    }
    return SlotcacheSettings.of(List.of(system, file(manager.getURI(), manager.getClassLoader()),
        manager.getProperties()));
  }

  private static Properties file(URI uri, ClassLoader classLoader) {
    Properties file = new Properties();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("classpath") || scheme.equals("file") || scheme.equals("jar")) {
      try (InputStream in = scheme.equals("classpath")
          ? classLoader.getResourceAsStream(uri.getSchemeSpecificPart().replaceFirst("^/", ""))
          : uri.toURL().openStream()) {
        if (in != null) {
          file.load(in);
        }
      } catch (IOException | IllegalArgumentException e) {
        // the manager read it when it opened; a file gone since adds no settings
      }
    }
    return file;
  }
}
