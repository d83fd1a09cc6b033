package dev.slotcache.tck;

import dev.slotcache.testkit.LocalRedisCluster;
import org.junit.runner.Description;
import org.junit.runner.Result;
import org.junit.runner.notification.RunListener;

/**
 * Starts a throwaway 3-master Redis Cluster before the TCK runs and stops it afterwards. The TCK uses the
 * provider's default CacheManager, whose cluster comes from {@code slotcache.uri}: this sets it, unless the
 * build was given one ({@code -Dslotcache.uri=redis://...}) to run the TCK against a real cluster.
 */
public final class LocalClusterListener extends RunListener {

  private LocalRedisCluster cluster;

  @Override
  public void testRunStarted(Description description) {
    if (System.getProperty("slotcache.uri") == null) {
      cluster = LocalRedisCluster.start(3);
      System.setProperty("slotcache.uri", cluster.uri() + "/tck");
    }
  }

  @Override
  public void testRunFinished(Result result) {
    if (cluster != null) {
      cluster.close();
    }
  }
}
