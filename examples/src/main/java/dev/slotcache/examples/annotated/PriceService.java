package dev.slotcache.examples.annotated;

import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheDefaults;
import javax.cache.annotation.CacheKey;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;

/**
 * An annotated service of the showcase: prices are slow to compute (a sleep stands in for a remote call), so
 * they are cached in the Slotcache cache {@code prices}, shared by every application server on the cluster.
 */
@CacheDefaults(cacheName = "prices")
public class PriceService {

  /** Method executions, shared by the showcase's two application contexts (one JVM stands in for two). */
  static final AtomicInteger COMPUTED = new AtomicInteger();

  @CacheResult
  public Long priceInCents(@CacheKey String isbn) {
    COMPUTED.incrementAndGet();
    try {
      Thread.sleep(30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 1_000L + Math.floorMod(isbn.hashCode(), 4_000);
  }

  @CacheRemove
  public void priceChanged(@CacheKey String isbn) {
    // the annotation removes the cached price after this method returns
  }

  /** How often {@link #priceInCents} really ran, in this JVM. */
  public static int computed() {
    return COMPUTED.get();
  }
}
