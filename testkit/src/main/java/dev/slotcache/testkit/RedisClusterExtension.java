package dev.slotcache.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that injects a {@link LocalRedisCluster} into constructors, lifecycle methods
 * ({@code @BeforeAll}, {@code @BeforeEach}, ...) and test methods:
 *
 * <pre>{@code
 * @ExtendWith(RedisClusterExtension.class)
 * class MyTest {
 *   @Test
 *   void works(LocalRedisCluster cluster) { ... cluster.uri() ... }
 * }
 * }</pre>
 *
 * <p>One 3-master cluster serves the whole test run: it starts on first use and lives in the root
 * {@link ExtensionContext.Store}, so every test class of the JVM shares it, and it is closed when the run ends
 * (JUnit 5.13+ closes {@link AutoCloseable} store values; on older versions the JVM shutdown hook of
 * {@link LocalRedisCluster} does it). Tests share its data: use distinct keys or {@link LocalRedisCluster#flushAll()},
 * and do not close it — if one does, the next test to ask gets a fresh cluster.
 *
 * <p>If system property {@value #URI_PROPERTY} is set to {@code redis://host:port[,host:port...]}, nothing is
 * started: tests get that cluster through {@link LocalRedisCluster#attach(String)}.
 *
 * <p>Thread-safe: parallel tests get the same instance.
 */
public final class RedisClusterExtension implements ParameterResolver {

  /**
   * System property with the URI of an external cluster to use instead of starting one. Under the test kit's own
   * prefix {@value RedisServerBinary#PROPERTY_PREFIX}, so the provider never takes it for one of its settings.
   */
  public static final String URI_PROPERTY = RedisServerBinary.PROPERTY_PREFIX + "uri";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == LocalRedisCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return extensionContext.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, key -> new Shared(), Shared.class)
        .get();
  }

  /** The shared cluster, started lazily; {@code AutoCloseable} so that the root store closes it. */
  private static final class Shared implements AutoCloseable {
    private LocalRedisCluster cluster;

    synchronized LocalRedisCluster get() {
      if (cluster == null || cluster.isClosed()) {
        String uri = System.getProperty(URI_PROPERTY);
        cluster = uri != null && !uri.isBlank() ? LocalRedisCluster.attach(uri) : LocalRedisCluster.start(3);
      }
      return cluster;
    }

    @Override
    public synchronized void close() {
      if (cluster != null) {
        cluster.close();
      }
    }
  }
}
