package dev.slotcache;

import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.near.NearTier;
import dev.slotcache.internal.store.CacheStore;
import java.util.ArrayList;
import java.util.List;

/**
 * How a cache with a near cache reads Redis: each record comes with its remaining TTL, and what was read is kept in
 * the near cache (unless an invalidation raced with the read). Only for expiry policies under which a read changes
 * no TTL, so a hit in memory skips nothing Redis would have done.
 */
final class NearReadPath extends ReadPath {

  private final NearTier<?, ?> near;
  private final RefreshAhead<?, ?> refresher;

  /**
   * Reads through {@code store} into {@code near}, which starts receiving invalidations now; tells
   * {@code refresher} (null: none) the TTL each read found.
   */
  NearReadPath(ExpiryDecisions expiry, CacheStore store, NearTier<?, ?> near, RefreshAhead<?, ?> refresher) {
    super(expiry, store);
    this.near = near.open();
    this.refresher = refresher;
  }

  @Override
  byte[] read(byte[] k) {
    NearTier.Stamp stamp = near.stamp(k);
    CacheStore.Timed read = store.getTimed(k);
    near.fill(k, stamp, read);
    return told(refresher, k, read);
  }

  @Override
  List<byte[]> readAll(List<byte[]> keys) {
    List<NearTier.Stamp> stamps = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      stamps.add(near.stamp(k));
    }
    List<CacheStore.Timed> reads = store.getAllTimed(keys);
    List<byte[]> records = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      CacheStore.Timed read = reads.get(i);
      near.fill(keys.get(i), stamps.get(i), read);
      records.add(told(refresher, keys.get(i), read));
    }
    return records;
  }

  @Override
  Object held(Object key) {
    return near.get(key);
  }

  @Override
  void close() {
    near.close();
    if (refresher != null) {
      refresher.close();
    }
  }

  @Override
  void hit(byte[] k) {
    // a read changes no TTL under the policies a near cache is allowed with
  }
}
