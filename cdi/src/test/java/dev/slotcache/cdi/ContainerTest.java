package dev.slotcache.cdi;

import dev.slotcache.testkit.LocalRedisCluster;
import dev.slotcache.testkit.RedisClusterExtension;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of tests whose beans run in one Weld container ({@link Containers#start}) with the default CacheManager on
 * the shared test cluster: the container starts before the first test of the class, with the bean classes the
 * subclass names, and closes after the last one (one test instance per class holds it).
 */
@ExtendWith(RedisClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerTest {

  private final Class<?>[] beanClasses;
  private WeldContainer container;

  ContainerTest(Class<?>... beanClasses) {
    this.beanClasses = beanClasses.clone();
  }

  @BeforeAll
  void startContainer(LocalRedisCluster cluster) {
    Containers.useCluster(cluster);
    container = Containers.start(beanClasses);
  }

  @AfterAll
  void closeContainer() {
    container.close();
  }

  /** The container's bean of {@code type} (a client proxy for a normal-scoped bean). */
  <T> T bean(Class<T> type) {
    return container.select(type).get();
  }
}
