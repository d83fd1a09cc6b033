package dev.slotcache.hibernate;

import dev.slotcache.hibernate.ReadWriteEntries.Handle;
import dev.slotcache.hibernate.ReadWriteEntries.Item;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.cache.spi.CacheKeysFactory;
import org.hibernate.cache.spi.DomainDataRegion;
import org.hibernate.cache.spi.access.AccessType;
import org.hibernate.cache.spi.access.SoftLock;
import org.hibernate.cache.spi.support.AbstractCachedDomainDataAccess;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

/**
 * READ_WRITE access whose soft locks hold across JVMs: every read-modify-write of an entry (put from load, lock,
 * unlock, after insert, after update, remove) is one atomic {@code Cache.invoke} in Redis, where Hibernate's own
 * support classes use a lock that only orders threads of one JVM. Reads are a single {@code GET}.
 */
abstract class ClusterReadWriteAccess extends AbstractCachedDomainDataAccess {

  private final CacheKeysFactory keysFactory;
  private final RegionStorage storage;
  private final Comparator<Object> versions;
  private final String owner = UUID.randomUUID().toString();
  private final AtomicLong nextLockId = new AtomicLong();

  /** @param versions orders versions of the cached data; null when it is not versioned */
  ClusterReadWriteAccess(DomainDataRegion region, CacheKeysFactory keysFactory, RegionStorage storage,
      Comparator<Object> versions) {
    super(region, storage);
    this.keysFactory = keysFactory;
    this.storage = storage;
    this.versions = versions;
  }

  final CacheKeysFactory keysFactory() {
    return keysFactory;
  }

  @Override
  public AccessType getAccessType() {
    return AccessType.READ_WRITE;
  }

  final RegionStorage storage() {
    return storage;
  }

  final Handle newHandle() {
    return new Handle(owner, nextLockId.getAndIncrement());
  }

  final long now() {
    return getRegion().getRegionFactory().nextTimestamp();
  }

  final long timeout() {
    return getRegion().getRegionFactory().getTimeout();
  }

  static long txTimestamp(SharedSessionContractImplementor session) {
    return session.getCacheTransactionSynchronization().getCachingTimestamp();
  }

  static Handle handleOf(SoftLock lock, ClusterReadWriteAccess access) {
    return lock instanceof Handle handle ? handle : access.newHandle();
  }

  static boolean isTrue(Boolean result) {
    return result != null && result;
  }

  @Override
  public Object get(SharedSessionContractImplementor session, Object key) {
    Object entry = storage.getFromCache(key, session);
    return entry instanceof Item item && item.isReadable(txTimestamp(session)) ? item.value() : null;
  }

  @Override
  public boolean putFromLoad(SharedSessionContractImplementor session, Object key, Object value, Object version) {
    return putFromLoad(session, key, value, version, false);
  }

  @Override
  public boolean putFromLoad(SharedSessionContractImplementor session, Object key, Object value, Object version,
      boolean minimalPutOverride) {
    ReadWriteEntries.PutFromLoad put =
        new ReadWriteEntries.PutFromLoad(value, version, txTimestamp(session), minimalPutOverride, versions);
    // A load that cannot be cached leaves nothing stale: not an invalidation.
    return isTrue(storage.write("put from load", false, () -> storage.cache().invoke(key, put)));
  }

  @Override
  public SoftLock lockItem(SharedSessionContractImplementor session, Object key, Object version) {
    Handle fresh = newHandle();
    Handle held = storage.update("lock", key, new ReadWriteEntries.LockItem(fresh, version, now() + timeout()));
    return held != null ? held : fresh;
  }

  @Override
  public void unlockItem(SharedSessionContractImplementor session, Object key, SoftLock lock) {
    storage.update("unlock", key, new ReadWriteEntries.UnlockItem(handleOf(lock, this), newHandle(), now(), timeout()));
  }

  @Override
  public void remove(SharedSessionContractImplementor session, Object key) {
    storage.update("remove", key, ReadWriteEntries.RemoveUnlessLocked.INSTANCE);
  }

  @Override
  public void removeAll(SharedSessionContractImplementor session) {
    // As Hibernate's read-write access: entries stay locked; the region is evicted when it is unlocked.
  }

  /** The after-update step shared by entities and natural ids. */
  final boolean afterUpdate(Object key, Object value, Object version, SoftLock lock) {
    return isTrue(storage.update("after update", key,
        new ReadWriteEntries.AfterUpdate(handleOf(lock, this), newHandle(), value, version, now(), timeout())));
  }

  /** The after-insert step shared by entities and natural ids. */
  final boolean afterInsert(Object key, Object value, Object version) {
    return isTrue(storage.update("after insert", key, new ReadWriteEntries.AfterInsert(value, version, now())));
  }
}
