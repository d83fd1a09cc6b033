package dev.slotcache.hibernate;

import org.hibernate.cache.cfg.spi.CollectionDataCachingConfig;
import org.hibernate.cache.spi.CacheKeysFactory;
import org.hibernate.cache.spi.DomainDataRegion;
import org.hibernate.cache.spi.access.CollectionDataAccess;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.collection.CollectionPersister;

/** Cluster-safe READ_WRITE access to cached collections (see {@link ClusterReadWriteAccess}). */
final class ClusterCollectionReadWriteAccess extends ClusterReadWriteAccess implements CollectionDataAccess {

  ClusterCollectionReadWriteAccess(DomainDataRegion region, CacheKeysFactory keysFactory, RegionStorage storage,
      CollectionDataCachingConfig config) {
    super(region, keysFactory, storage, config.getOwnerVersionComparator());
  }

  @Override
  public Object generateCacheKey(Object id, CollectionPersister collectionDescriptor,
      SessionFactoryImplementor factory, String tenantIdentifier) {
    return keysFactory().createCollectionKey(id, collectionDescriptor, factory, tenantIdentifier);
  }

  @Override
  public Object getCacheKeyId(Object cacheKey) {
    return keysFactory().getCollectionId(cacheKey);
  }
}
