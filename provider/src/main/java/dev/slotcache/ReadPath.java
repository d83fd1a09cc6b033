package dev.slotcache;

import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.store.CacheStore;
import java.util.List;

/**
 * How a cache reads, chosen once from its expiry policy: with one of the five policies of {@code javax.cache.expiry}
 * the access TTL is known up front and a read applies it in the same command ({@code GETEX}, or a plain
 * {@code GET} when access changes nothing); with any other policy the policy is asked after each hit, and the TTL
 * set by a second command, since it may only be called for a hit.
 */
abstract class ReadPath {

  final ExpiryDecisions expiry;
  final CacheStore store;

  ReadPath(ExpiryDecisions expiry, CacheStore store) {
    this.expiry = expiry;
    this.store = store;
  }

  /** The record under {@code k} (access TTL applied, where known up front). */
  abstract byte[] read(byte[] k);

  /** The records under {@code keys}, in order. */
  abstract List<byte[]> readAll(List<byte[]> keys);

  /** After a hit on {@code k}: applies the access TTL where {@link #read} could not. */
  abstract void hit(byte[] k);

  /** The record of a timed read of {@code k} (null: absent), its TTL told to {@code refresher} (null: none). */
  static byte[] told(RefreshAhead<?, ?> refresher, byte[] k, CacheStore.Timed read) {
    if (read == null) {
      return null;
    }
    if (refresher != null) {
      refresher.read(k, read.ttlMillis());
    }
    return read.record();
  }

  /** The value this JVM holds in memory for {@code key} (a near cache), or null: then Redis is read. */
  Object held(Object key) {
    return null;
  }

  /** The cache closes: stops holding anything. */
  void close() {
  }

  static ReadPath of(ExpiryDecisions expiry, CacheStore store) {
    return expiry.isPure() ? new Standard(expiry, store) : new AskingPolicy(expiry, store);
  }

  /** The five standard policies: the access TTL goes with the read. */
  static final class Standard extends ReadPath {
    Standard(ExpiryDecisions expiry, CacheStore store) {
      super(expiry, store);
    }

    @Override
    byte[] read(byte[] k) {
      return store.getAndExpire(k, expiry.access());
    }

    @Override
    List<byte[]> readAll(List<byte[]> keys) {
      return store.getAllAndExpire(keys, expiry.access());
    }

    @Override
    void hit(byte[] k) {
      // applied by the read
    }
  }

  /** Any other policy: asked once per hit, after the read. */
  static final class AskingPolicy extends ReadPath {
    AskingPolicy(ExpiryDecisions expiry, CacheStore store) {
      super(expiry, store);
    }

    @Override
    byte[] read(byte[] k) {
      return store.get(k);
    }

    @Override
    List<byte[]> readAll(List<byte[]> keys) {
      return store.getAll(keys);
    }

    @Override
    void hit(byte[] k) {
      store.expire(k, expiry.access());
    }
  }

  /**
   * Early refresh without a near cache: each record comes with its remaining TTL, which {@link RefreshAhead} is told.
   * Only for policies under which a read changes no TTL (the refresh measures the TTL a write gave).
   */
  static final class Refreshing extends ReadPath {
    private final RefreshAhead<?, ?> refresher;

    Refreshing(ExpiryDecisions expiry, CacheStore store, RefreshAhead<?, ?> refresher) {
      super(expiry, store);
      this.refresher = refresher;
    }

    @Override
    byte[] read(byte[] k) {
      return told(refresher, k, store.getTimed(k));
    }

    @Override
    List<byte[]> readAll(List<byte[]> keys) {
      List<CacheStore.Timed> reads = store.getAllTimed(keys);
      List<byte[]> records = new java.util.ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        records.add(told(refresher, keys.get(i), reads.get(i)));
      }
      return records;
    }

    @Override
    void hit(byte[] k) {
      // a read changes no TTL under the policies early refresh is allowed with
    }

    @Override
    void close() {
      refresher.close();
    }
  }
}
