package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.annotation.Annotation;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.annotation.CacheInvocationContext;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.GeneratedCacheKey;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.EternalExpiryPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cacheResolverFactory} and {@code cacheKeyGenerator}: CDI beans when they are beans, else instances of their
 * no-argument constructor; and the default factory: the default CacheManager, missing caches created.
 */
class ResolverFactoryTest extends ContainerTest {

  private Service service;
  private Audit audit;

  ResolverFactoryTest() {
    super(Service.class, Audit.class, PrefixingFactory.class, BeanKeys.class);
  }

  @BeforeEach
  void reset() {
    service = bean(Service.class);
    audit = bean(Audit.class);
    Containers.clear("cdi-custom-c1", "cdi-custom-e2", "cdi-plain-c3", "cdi-keys", "cdi-created");
  }

  @Test
  void factoryBean_isInjected_andAskedOncePerMethod() {
    service.viaBean("a");
    service.viaBean("a");
    service.viaBean("b");
    assertEquals(2, service.runs("viaBean"));
    assertEquals(1, Collections.frequency(audit.asked(), "c1"), "one resolver per method, from the injected bean");
    assertEquals("viaBean a", Containers.cache("cdi-custom-c1").get(ParametersKey.of("a")));
    assertNull(Containers.cache("c1"), "the default factory was not used");
  }

  @Test
  void factoryBean_givesTheExceptionCacheResolver() {
    assertThrows(IllegalStateException.class, () -> service.viaBeanFailing("x"));
    assertThrows(IllegalStateException.class, () -> service.viaBeanFailing("x"));
    assertEquals(1, service.runs("viaBeanFailing"));
    assertTrue(audit.asked().contains("exceptions of c2: e2"));
    assertInstanceOf(IllegalStateException.class, Containers.cache("cdi-custom-e2").get(ParametersKey.of("x")));
  }

  @Test
  void factoryThatIsNoBean_isConstructedOnce_forAllItsMethods() {
    assertEquals("viaPlain p", service.viaPlain("p"));
    assertEquals("viaPlain p", service.viaPlainToo("p"), "same factory, same cache, same key");
    service.viaPlain("q");
    assertEquals(1, PlainFactory.CONSTRUCTED.get());
    assertEquals(2, service.runs("viaPlain"));
    assertEquals(0, service.runs("viaPlainToo"));
    assertEquals("viaPlain q", Containers.cache("cdi-plain-c3").get(ParametersKey.of("q")));
  }

  @Test
  void factory_isAskedOncePerMethod_whenManyThreadsCallItFirstTogether() throws Exception {
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> results = new java.util.ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String key = "t" + i;
        results.add(pool.submit(() -> {
          go.await();
          return service.raced(key);
        }));
      }
      go.countDown();
      for (int i = 0; i < threads; i++) {
        assertEquals("raced t" + i, results.get(i).get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, CountingFactory.RESOLVERS.get());
  }

  @Test
  void keyGenerators_areBeansOrPlainInstances() {
    service.keyedByBean("k");
    service.keyedByPlain("k");
    assertEquals("keyedByBean k", Containers.cache("cdi-keys").get(ParametersKey.of("bean", "k")));
    assertEquals("keyedByPlain k", Containers.cache("cdi-keys").get(ParametersKey.of("plain", "k")));
    service.keyedByPlain("k");
    assertEquals(1, PlainKeys.CONSTRUCTED.get());
    assertEquals(1, service.runs("keyedByPlain"));
    assertTrue(audit.asked().contains("key for keyedByBean"), "the key generator bean had its injection");
  }

  @Test
  void defaultFactory_createsAMissingCache_withAPlainMutableConfiguration() {
    service.created("c");
    Cache<Object, Object> cache = Containers.cache("cdi-created");
    assertNotNull(cache);
    CompleteConfiguration<?, ?> configuration = configuration(cache);
    assertEquals(Object.class, configuration.getKeyType());
    assertEquals(Object.class, configuration.getValueType());
    assertTrue(configuration.isStoreByValue());
    assertInstanceOf(EternalExpiryPolicy.class, configuration.getExpiryPolicyFactory().create());
    assertFalse(configuration.isReadThrough() || configuration.isWriteThrough());
    assertFalse(configuration.isStatisticsEnabled() || configuration.isManagementEnabled());
    assertEquals("created c", cache.get(ParametersKey.of("c")));
  }

  @Test
  void defaultFactory_usesAnExistingCacheAsItIs() {
    CacheManager manager = Containers.defaultManager();
    if (manager.getCache("cdi-existing") != null) {
      manager.destroyCache("cdi-existing");
    }
    Cache<Object, Object> existing = manager.createCache("cdi-existing",
        new MutableConfiguration<>().setStatisticsEnabled(true));
    service.existing("e");
    assertEquals("existing e", existing.get(ParametersKey.of("e")));
    assertTrue(configuration(existing).isStatisticsEnabled());
  }

  @Test
  void defaultFactory_findsTheCacheAgain_afterItWasDestroyed_orItsManagerClosed() {
    service.created("before");
    Containers.defaultManager().destroyCache("cdi-created");
    service.created("after destroy");
    assertEquals("created after destroy", Containers.cache("cdi-created").get(ParametersKey.of("after destroy")));
    CacheManager closed = Containers.defaultManager();
    closed.close();
    service.created("after close");
    assertNotSame(closed, Containers.defaultManager());
    assertEquals("created after close", Containers.cache("cdi-created").get(ParametersKey.of("after close")));
  }

  @Test
  void unusableFactory_failsTheCall_namingTheClassAndTheMethod() {
    CacheException e = assertThrows(CacheException.class, () -> service.broken("x"));
    assertTrue(e.getMessage().contains(AbstractFactory.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("broken(java.lang.String)"), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static CompleteConfiguration<Object, Object> configuration(Cache<Object, Object> cache) {
    return cache.getConfiguration(CompleteConfiguration.class);
  }

  /** Records what the factory and the key generator beans were asked. */
  @ApplicationScoped
  public static class Audit {
    private final List<String> asked = new CopyOnWriteArrayList<>();

    void record(String what) {
      asked.add(what);
    }

    List<String> asked() {
      return List.copyOf(asked);
    }
  }

  /** A CDI bean: caches named {@code cdi-custom-<cache name>}, on the default CacheManager. */
  @ApplicationScoped
  public static class PrefixingFactory implements CacheResolverFactory {
    @Inject
    Audit audit;

    @Override
    public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
      audit.record(details.getCacheName());
      return new NamedResolver("cdi-custom-" + details.getCacheName());
    }

    @Override
    public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
      String exceptionCache = details.getCacheAnnotation().exceptionCacheName();
      audit.record("exceptions of " + details.getCacheName() + ": " + exceptionCache);
      return new NamedResolver("cdi-custom-" + exceptionCache);
    }
  }

  /** No bean (not in the container): made with its constructor; caches named {@code cdi-plain-<cache name>}. */
  public static class PlainFactory implements CacheResolverFactory {
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    public PlainFactory() {
      CONSTRUCTED.incrementAndGet();
    }

    @Override
    public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
      return new NamedResolver("cdi-plain-" + details.getCacheName());
    }

    @Override
    public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
      throw new UnsupportedOperationException();
    }
  }

  /** Counts the resolvers it hands out. */
  public static class CountingFactory implements CacheResolverFactory {
    static final AtomicInteger RESOLVERS = new AtomicInteger();

    @Override
    public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> details) {
      RESOLVERS.incrementAndGet();
      return new NamedResolver("cdi-raced");
    }

    @Override
    public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> details) {
      throw new UnsupportedOperationException();
    }
  }

  /** Cannot be instantiated. */
  public abstract static class AbstractFactory implements CacheResolverFactory {
  }

  /** A CDI bean key generator. */
  @ApplicationScoped
  public static class BeanKeys implements CacheKeyGenerator {
    @Inject
    Audit audit;

    @Override
    public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
      audit.record("key for " + context.getMethod().getName());
      return ParametersKey.of("bean", context.getKeyParameters()[0].getValue());
    }
  }

  /** A key generator that is no bean. */
  public static class PlainKeys implements CacheKeyGenerator {
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    public PlainKeys() {
      CONSTRUCTED.incrementAndGet();
    }

    @Override
    public GeneratedCacheKey generateCacheKey(CacheKeyInvocationContext<? extends Annotation> context) {
      return ParametersKey.of("plain", context.getKeyParameters()[0].getValue());
    }
  }

  /** Resolves (creating when missing, also when threads race) one cache of the default CacheManager. */
  static final class NamedResolver implements CacheResolver {
    private final String name;

    NamedResolver(String name) {
      this.name = name;
    }

    @Override
    public <K, V> Cache<K, V> resolveCache(CacheInvocationContext<? extends Annotation> context) {
      CacheManager manager = Containers.defaultManager();
      Cache<K, V> cache = manager.getCache(name);
      if (cache != null) {
        return cache;
      }
      try {
        return manager.createCache(name, new MutableConfiguration<K, V>());
      } catch (CacheException raced) {
        return manager.getCache(name);
      }
    }
  }

  /** Counts executions per method. */
  @ApplicationScoped
  public static class Service extends CountedRuns {

    @CacheResult(cacheName = "c1", cacheResolverFactory = PrefixingFactory.class)
    public String viaBean(String key) {
      return run("viaBean", key);
    }

    @CacheResult(cacheName = "c2", cacheResolverFactory = PrefixingFactory.class, exceptionCacheName = "e2")
    public String viaBeanFailing(String key) {
      run("viaBeanFailing", key);
      throw new IllegalStateException("failed for " + key);
    }

    @CacheResult(cacheName = "c3", cacheResolverFactory = PlainFactory.class)
    public String viaPlain(String key) {
      return run("viaPlain", key);
    }

    @CacheResult(cacheName = "c3", cacheResolverFactory = PlainFactory.class)
    public String viaPlainToo(String key) {
      return run("viaPlainToo", key);
    }

    @CacheResult(cacheName = "cdi-keys", cacheKeyGenerator = BeanKeys.class)
    public String keyedByBean(String key) {
      return run("keyedByBean", key);
    }

    @CacheResult(cacheName = "cdi-keys", cacheKeyGenerator = PlainKeys.class)
    public String keyedByPlain(String key) {
      return run("keyedByPlain", key);
    }

    @CacheResult(cacheName = "cdi-created")
    public String created(String key) {
      return run("created", key);
    }

    @CacheResult(cacheName = "cdi-existing")
    public String existing(String key) {
      return run("existing", key);
    }

    @CacheResult(cacheName = "cdi-raced", cacheResolverFactory = CountingFactory.class)
    public String raced(String key) {
      return run("raced", key);
    }

    @CacheResult(cacheName = "cdi-broken", cacheResolverFactory = AbstractFactory.class)
    public String broken(String key) {
      return run("broken", key);
    }

    private String run(String method, String key) {
      ran(method);
      return method + " " + key;
    }
  }
}
