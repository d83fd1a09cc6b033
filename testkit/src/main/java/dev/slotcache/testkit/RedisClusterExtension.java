package dev.slotcache.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a {@link LocalRedisCluster} parameter (constructor, lifecycle or test
 * method). One 3-master cluster is started lazily and shared by every test class of the run; JUnit closes it
 * when the run ends.
 */
public final class RedisClusterExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == LocalRedisCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return extensionContext.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("cluster", key -> LocalRedisCluster.start(3), LocalRedisCluster.class);
  }
}
