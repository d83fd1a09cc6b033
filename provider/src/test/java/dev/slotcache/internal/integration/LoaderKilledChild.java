package dev.slotcache.internal.integration;

import dev.slotcache.spi.SlotcacheCachingProvider;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;

/**
 * The child JVM of {@link SingleFlightTest}: opens the cache on the namespace given, misses {@code k} by the operation
 * given ({@code get}, {@code getAll} or {@code invoke}), and prints {@code LOADING} from inside a loader (or processor)
 * that never finishes — holding the load lease until it is killed.
 */
public final class LoaderKilledChild {

  private LoaderKilledChild() {
  }

  /** A loader that announces itself and then hangs. */
  public static final class Hanging implements CacheLoader<String, String>, java.io.Serializable {
    @Override
    public String load(String key) {
      return hang();
    }

    static String hang() {
      System.out.println("LOADING");
      System.out.flush();
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "child";
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      return Map.of("k", hang());
    }
  }

  public static void main(String[] args) {
    Properties properties = new Properties();
    properties.setProperty("slotcache.single-flight.lease", "1s");
    CacheManager manager = new SlotcacheCachingProvider().getCacheManager(URI.create(args[0]),
        LoaderKilledChild.class.getClassLoader(), properties);
    Cache<String, String> cache = manager.createCache("killed", new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class).setReadThrough(true)
        .setCacheLoaderFactory(FactoryBuilder.factoryOf(Hanging.class)));
    switch (args[1]) {
      case "get" -> cache.get("k");
      case "getAll" -> cache.getAll(java.util.Set.of("k"));
      default -> cache.invoke("k", (entry, arguments) -> {
        entry.setValue(Hanging.hang());
        return null;
      });
    }
  }
}
