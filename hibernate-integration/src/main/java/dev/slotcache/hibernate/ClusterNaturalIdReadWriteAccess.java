package dev.slotcache.hibernate;

import org.hibernate.cache.spi.CacheKeysFactory;
import org.hibernate.cache.spi.DomainDataRegion;
import org.hibernate.cache.spi.access.NaturalIdDataAccess;
import org.hibernate.cache.spi.access.SoftLock;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.persister.entity.EntityPersister;

/** Cluster-safe READ_WRITE access to cached natural-id resolutions (see {@link ClusterReadWriteAccess}). */
final class ClusterNaturalIdReadWriteAccess extends ClusterReadWriteAccess implements NaturalIdDataAccess {

  ClusterNaturalIdReadWriteAccess(DomainDataRegion region, CacheKeysFactory keysFactory, RegionStorage storage) {
    super(region, keysFactory, storage, null); // natural-id resolutions are not versioned
  }

  @Override
  public Object generateCacheKey(Object naturalIdValues, EntityPersister rootEntityDescriptor,
      SharedSessionContractImplementor session) {
    return keysFactory().createNaturalIdKey(naturalIdValues, rootEntityDescriptor, session);
  }

  @Override
  public Object getNaturalIdValues(Object cacheKey) {
    return keysFactory().getNaturalIdValues(cacheKey);
  }

  @Override
  public boolean insert(SharedSessionContractImplementor session, Object key, Object value) {
    return false;
  }

  @Override
  public boolean afterInsert(SharedSessionContractImplementor session, Object key, Object value) {
    return afterInsert(key, value, null);
  }

  @Override
  public boolean update(SharedSessionContractImplementor session, Object key, Object value) {
    return false;
  }

  @Override
  public boolean afterUpdate(SharedSessionContractImplementor session, Object key, Object value, SoftLock lock) {
    return afterUpdate(key, value, null, lock);
  }
}
