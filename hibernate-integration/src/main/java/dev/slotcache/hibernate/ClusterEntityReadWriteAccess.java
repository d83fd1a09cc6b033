package dev.slotcache.hibernate;

import org.hibernate.cache.cfg.spi.EntityDataCachingConfig;
import org.hibernate.cache.spi.CacheKeysFactory;
import org.hibernate.cache.spi.DomainDataRegion;
import org.hibernate.cache.spi.access.EntityDataAccess;
import org.hibernate.cache.spi.access.SoftLock;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

/** Cluster-safe READ_WRITE access to cached entities (see {@link ClusterReadWriteAccess}). */
final class ClusterEntityReadWriteAccess extends ClusterReadWriteAccess implements EntityDataAccess {

  ClusterEntityReadWriteAccess(DomainDataRegion region, CacheKeysFactory keysFactory, RegionStorage storage,
      EntityDataCachingConfig config) {
    super(region, keysFactory, storage,
        config.getVersionComparatorAccess() == null ? null : config.getVersionComparatorAccess().get());
  }

  @Override
  public Object generateCacheKey(Object id, EntityPersister rootEntityDescriptor, SessionFactoryImplementor factory,
      String tenantIdentifier) {
    return keysFactory().createEntityKey(id, rootEntityDescriptor, factory, tenantIdentifier);
  }

  @Override
  public Object getCacheKeyId(Object cacheKey) {
    return keysFactory().getEntityId(cacheKey);
  }

  @Override
  public boolean insert(SharedSessionContractImplementor session, Object key, Object value, Object version) {
    return false; // cached after commit
  }

  @Override
  public boolean afterInsert(SharedSessionContractImplementor session, Object key, Object value, Object version) {
    return afterInsert(key, value, version);
  }

  @Override
  public boolean update(SharedSessionContractImplementor session, Object key, Object value, Object currentVersion,
      Object previousVersion) {
    return false; // cached after commit
  }

  @Override
  public boolean afterUpdate(SharedSessionContractImplementor session, Object key, Object value,
      Object currentVersion, Object previousVersion, SoftLock lock) {
    return afterUpdate(key, value, currentVersion, lock);
  }
}
