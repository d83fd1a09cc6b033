package dev.slotcache.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slotcache.CompiledValueClass;
import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code getCacheManager(uri, null)} uses the provider's default class loader (JSR-107 1.1.1), which must see the
 * classes of an application that only its thread's context class loader sees (the {@code java App.java} launcher,
 * a web application) and stay one instance, so that the manager it keys is found again.
 */
@ExtendWith(RedisClusterExtension.class)
class DefaultClassLoaderTest {

  @TempDir
  Path classes;

  private final SlotcacheCachingProvider provider = new SlotcacheCachingProvider();
  private CompiledValueClass ticket;

  @BeforeEach
  void compileTicket() {
    ticket = CompiledValueClass.compile(classes);
  }

  @AfterEach
  void restore() throws Exception {
    provider.close();
    ticket.close();
  }

  @Test
  void getCacheManager_nullLoader_contextLoaderSeesTheValueClass_roundTrips(LocalRedisCluster cluster) {
    Thread.currentThread().setContextClassLoader(ticket.loader());
    URI uri = URI.create(cluster.uri() + "/t-" + UUID.randomUUID().toString().substring(0, 8));
    CacheManager manager = provider.getCacheManager(uri, null);
    try {
      Cache<String, Object> tickets = manager.createCache("tickets", new MutableConfiguration<>());
      Object value = ticket.newInstance("seat 12A");

      tickets.put("k", value);

      assertEquals(value, tickets.get("k"));
    } finally {
      manager.destroyCache("tickets");
    }
  }

  @Test
  void defaultClassLoader_isOneInstance_keyingOneManagerPerUri(LocalRedisCluster cluster) {
    URI uri = URI.create(cluster.uri() + "/t-" + UUID.randomUUID().toString().substring(0, 8));
    ClassLoader loader = provider.getDefaultClassLoader();
    Thread.currentThread().setContextClassLoader(ticket.loader());

    assertSame(loader, provider.getDefaultClassLoader());
    assertSame(loader, new SlotcacheCachingProvider().getDefaultClassLoader());
    CacheManager byNull = provider.getCacheManager(uri, null);
    assertSame(byNull, provider.getCacheManager(uri, loader));
    assertSame(loader, byNull.getClassLoader());
    assertNotSame(byNull, provider.getCacheManager(uri, ticket.loader()));
  }

  @Test
  void defaultClassLoader_triesTheContextLoader_thenTheProvidersOwn() throws Exception {
    ClassLoader loader = provider.getDefaultClassLoader();

    Thread.currentThread().setContextClassLoader(ticket.loader());
    assertEquals(ticket.loader(), Class.forName(ticket.name(), false, loader).getClassLoader());
    Thread.currentThread().setContextClassLoader(null);
    assertSame(SlotcacheCachingProvider.class, loader.loadClass(SlotcacheCachingProvider.class.getName()));
    String unseen = "probe.Unseen" + UUID.randomUUID().toString().replace("-", "");
    assertThrows(ClassNotFoundException.class, () -> loader.loadClass(unseen));
  }

  @Test
  void defaultClassLoader_underAContextLoaderThatDelegatesBackToIt_asksTheProvidersOwn() throws Exception {
    ClassLoader loader = provider.getDefaultClassLoader();
    try (URLClassLoader below = new URLClassLoader(new URL[0], loader)) {
      Thread.currentThread().setContextClassLoader(below);

      assertSame(SlotcacheCachingProvider.class, loader.loadClass(SlotcacheCachingProvider.class.getName()));
      assertThrows(ClassNotFoundException.class, () -> loader.loadClass("probe.Unseen" + UUID.randomUUID().hashCode()));
      assertEquals(null, loader.getResource("probe/unseen.txt"));
    }
  }

  @Test
  void defaultClassLoader_listsEachResourceOnce() throws Exception {
    String services = "META-INF/services/javax.cache.spi.CachingProvider";
    ClassLoader own = SlotcacheCachingProvider.class.getClassLoader();
    List<URL> expected = Collections.list(own.getResources(services));

    Thread.currentThread().setContextClassLoader(ticket.loader()); // a child: it finds the same files again
    List<URL> found = Collections.list(provider.getDefaultClassLoader().getResources(services));

    assertEquals(expected.stream().map(URL::toExternalForm).toList(), found.stream().map(URL::toExternalForm).toList());
    assertEquals(expected.get(0).toExternalForm(),
        provider.getDefaultClassLoader().getResource(services).toExternalForm());
  }
}
