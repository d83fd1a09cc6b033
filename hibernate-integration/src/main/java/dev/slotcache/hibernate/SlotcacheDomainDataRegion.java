package dev.slotcache.hibernate;

import java.util.function.Supplier;
import org.hibernate.cache.CacheException;
import org.hibernate.cache.cfg.spi.CollectionDataCachingConfig;
import org.hibernate.cache.cfg.spi.DomainDataRegionBuildingContext;
import org.hibernate.cache.cfg.spi.DomainDataCachingConfig;
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
    return access(config, () -> new ClusterEntityReadWriteAccess(this, getEffectiveKeysFactory(), storage(), config),
        () -> super.generateEntityAccess(config));
  }

  @Override
  public CollectionDataAccess generateCollectionAccess(CollectionDataCachingConfig config) {
    return access(config,
        () -> new ClusterCollectionReadWriteAccess(this, getEffectiveKeysFactory(), storage(), config),
        () -> super.generateCollectionAccess(config));
  }

  @Override
  public NaturalIdDataAccess generateNaturalIdAccess(NaturalIdDataCachingConfig config) {
    return access(config, () -> new ClusterNaturalIdReadWriteAccess(this, getEffectiveKeysFactory(), storage()),
        () -> super.generateNaturalIdAccess(config));
  }

  /** Our own access for READ_WRITE, Hibernate's for READ_ONLY and NONSTRICT_READ_WRITE; TRANSACTIONAL fails. */
  private <A> A access(DomainDataCachingConfig config, Supplier<A> readWrite, Supplier<A> hibernates) {
    return switch (config.getAccessType()) {
      case READ_WRITE -> readWrite.get();
      case TRANSACTIONAL -> throw transactional(config.getNavigableRole().getFullPath());
      default -> hibernates.get();
    };
  }

  private CacheException transactional(String role) {
    return new CacheException("'" + role + "' in region '" + getName() + "' asks for "
        + AccessType.TRANSACTIONAL.getExternalName() + " caching, which the Slotcache region factory does not offer: "
        + "Redis does not take part in JTA transactions. Use " + AccessType.READ_WRITE.getExternalName()
        + " (strict, soft locks held in Redis across JVMs) or " + AccessType.NONSTRICT_READ_WRITE.getExternalName());
  }
}
