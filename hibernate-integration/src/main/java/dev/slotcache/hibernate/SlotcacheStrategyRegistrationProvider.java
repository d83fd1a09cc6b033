package dev.slotcache.hibernate;

import java.util.List;
import org.hibernate.boot.registry.selector.SimpleStrategyRegistrationImpl;
import org.hibernate.boot.registry.selector.StrategyRegistration;
import org.hibernate.boot.registry.selector.StrategyRegistrationProvider;
import org.hibernate.cache.spi.RegionFactory;

/**
 * Registers {@link SlotcacheRegionFactory} with Hibernate's strategy selector, so
 * {@code hibernate.cache.region.factory_class=slotcache} finds it. Listed in
 * {@code META-INF/services/org.hibernate.boot.registry.selector.StrategyRegistrationProvider}.
 */
public final class SlotcacheStrategyRegistrationProvider implements StrategyRegistrationProvider {

  @Override
  public Iterable<StrategyRegistration<?>> getStrategyRegistrations() {
    return List.of(new SimpleStrategyRegistrationImpl<>(RegionFactory.class, SlotcacheRegionFactory.class,
        SlotcacheRegionFactory.SHORT_NAME, SlotcacheRegionFactory.class.getName(),
        SlotcacheRegionFactory.class.getSimpleName()));
  }
}
