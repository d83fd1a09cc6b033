package dev.slotcache.hibernate;

import org.hibernate.cache.CacheException;
import org.hibernate.cache.cfg.spi.CollectionDataCachingConfig;
import org.hibernate.cache.cfg.spi.DomainDataRegionBuildingContext;
import org.hibernate.cache.cfg.spi.DomainDataRegionConfig;
import org.hibernate.cache.cfg.spi.EntityDataCachingConfig;
import org.hibernate.cache.cfg.spi.NaturalIdDataCachingConfig;
import org.hibernate.cache.spi.CacheKeysFactory;
import org.hibernate.cache.spi.RegionFactory;
import org.hibernate.cache.spi.access.AccessType;
import org.hibernate.cache.spi.access.CollectionDataAccess;
import org.hibernate.cache.spi.access.EntityDataAccess;
import org.hibernate.cache.spi.access.NaturalIdDataAccess;
import org.hibernate.cache.spi.support.DomainDataRegionTemplate;

/**
 * An entity / collection / natural-id region: READ_WRITE access is {@link ClusterReadWriteAccess} (atomic in
 * Redis); READ_ONLY and NONSTRICT_READ_WRITE are Hibernate's own, over the same storage; TRANSACTIONAL is refused
 * (Redis takes no part in JTA transactions).
 */
final class SlotcacheDomainDataRegion extends DomainDataRegionTemplate {

  SlotcacheDomainDataRegion(DomainDataRegionConfig config, RegionFactory factory, RegionStorage storage,
      CacheKeysFactory keysFactory, DomainDataRegionBuildingContext context) {
    super(config, factory, storage, keysFactory, context);
  }

  private RegionStorage storage() {
    return (RegionStorage) getCacheStorageAccess();
  }

  @Override
  public EntityDataAccess generateEntityAccess(EntityDataCachingConfig config) {
    return switch (config.getAccessType()) {
      case READ_WRITE -> new ClusterEntityReadWriteAccess(this, getEffectiveKeysFactory(), storage(), config);
      case TRANSACTIONAL -> throw transactional(config.getNavigableRole().getFullPath());
      default -> super.generateEntityAccess(config);
    };
  }

  @Override
  public CollectionDataAccess generateCollectionAccess(CollectionDataCachingConfig config) {
    return switch (config.getAccessType()) {
      case READ_WRITE -> new ClusterCollectionReadWriteAccess(this, getEffectiveKeysFactory(), storage(), config);
      case TRANSACTIONAL -> throw transactional(config.getNavigableRole().getFullPath());
      default -> super.generateCollectionAccess(config);
    };
  }

  @Override
  public NaturalIdDataAccess generateNaturalIdAccess(NaturalIdDataCachingConfig config) {
    return switch (config.getAccessType()) {
      case READ_WRITE -> new ClusterNaturalIdReadWriteAccess(this, getEffectiveKeysFactory(), storage());
      case TRANSACTIONAL -> throw transactional(config.getNavigableRole().getFullPath());
      default -> super.generateNaturalIdAccess(config);
    };
  }

  private CacheException transactional(String role) {
    return new CacheException("'" + role + "' in region '" + getName() + "' asks for "
        + AccessType.TRANSACTIONAL.getExternalName() + " caching, which the Slotcache region factory does not offer: "
        + "Redis does not take part in JTA transactions. Use " + AccessType.READ_WRITE.getExternalName()
        + " (strict, soft locks held in Redis across JVMs) or " + AccessType.NONSTRICT_READ_WRITE.getExternalName());
  }
}
