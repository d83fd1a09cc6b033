package dev.slotcache.internal.near;

import java.util.ArrayList;
import java.util.List;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.ReflectionException;

/**
 * The MBean of one near cache, {@code dev.slotcache:type=NearCache,CacheManager=<uri>,Cache=<name>}: read-only
 * attributes for operators (JConsole, a JMX exporter) — one per {@link NearTier.Count}, counted since the cache was
 * opened in this JVM, and {@code Size}, {@code MaxEntries}, {@code Tracking}, {@code MicrosSinceLastInvalidation}.
 */
final class NearCacheBean implements DynamicMBean {

  private static final String SIZE = "Size";
  private static final String MAX_ENTRIES = "MaxEntries";
  private static final String TRACKING = "Tracking";
  private static final String SINCE_INVALIDATION = "MicrosSinceLastInvalidation";

  private final NearTier<?, ?> near;

  NearCacheBean(NearTier<?, ?> near) {
    this.near = near;
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    for (NearTier.Count count : NearTier.Count.values()) {
      if (count.attribute.equals(attribute)) {
        return near.count(count);
      }
    }
    return switch (attribute) {
      case SIZE -> near.size();
      case MAX_ENTRIES -> near.maxEntries();
      case TRACKING -> near.tracking();
      case SINCE_INVALIDATION -> near.microsSinceLastInvalidation();
      default -> throw new AttributeNotFoundException("a near cache has no attribute " + attribute);
    };
  }

  @Override
  public AttributeList getAttributes(String[] attributes) {
    AttributeList list = new AttributeList();
    for (String attribute : attributes) {
      try {
        list.add(new Attribute(attribute, getAttribute(attribute)));
      } catch (AttributeNotFoundException e) {
        // left out, as the contract of getAttributes says
      }
    }
    return list;
  }

  @Override
  public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
    throw new AttributeNotFoundException("the attributes of a near cache are read-only");
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList();
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
    throw new ReflectionException(new NoSuchMethodException(actionName), "a near cache has no operations");
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    List<MBeanAttributeInfo> attributes = new ArrayList<>();
    for (NearTier.Count count : NearTier.Count.values()) {
      attributes.add(new MBeanAttributeInfo(count.attribute, "long", count.description, true, false, false));
    }
    attributes.add(new MBeanAttributeInfo(SIZE, "long", "entries held now (approximately)", true, false, false));
    attributes.add(new MBeanAttributeInfo(MAX_ENTRIES, "long", "the bound on entries", true, false, false));
    attributes.add(new MBeanAttributeInfo(SINCE_INVALIDATION, "long", "microseconds since Redis' last invalidation "
        + "for this cache arrived (-1: none yet): whether changes elsewhere reach this JVM", true, false, false));
    attributes.add(new MBeanAttributeInfo(TRACKING, "boolean", "whether every master is tracked now (when not, "
        + "nothing is kept)", true, false, true));
    return new MBeanInfo(NearTier.class.getName(), "This JVM's near cache of one Slotcache cache",
        attributes.toArray(MBeanAttributeInfo[]::new), null, new MBeanOperationInfo[0], null);
  }
}
