package dev.slotcache.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Kryo whose key encoding writes unordered sets and maps in a canonical (sorted) order, so that equal keys encode
 * to identical bytes whatever their iteration order. Not thread-safe, like Kryo.
 */
final class CanonicalKryo extends Kryo {

  private final boolean canonical;

  /** @param canonical whether unordered sets and maps are written sorted (keys), or as Kryo writes them (values) */
  CanonicalKryo(DefaultClassResolver resolver, boolean canonical) {
    super(resolver, null);
    this.canonical = canonical;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Serializer getDefaultSerializer(Class type) {
    if (canonical && Set.class.isAssignableFrom(type) && !SortedSet.class.isAssignableFrom(type)
        && !type.isEnum() && hasNoArgConstructor(type)) {
      return new SortedElementsSerializer(false);
    }
    if (canonical && Map.class.isAssignableFrom(type) && !SortedMap.class.isAssignableFrom(type)
        && hasNoArgConstructor(type)) {
      return new SortedElementsSerializer(true);
    }
    return super.getDefaultSerializer(type);
  }

  private static boolean hasNoArgConstructor(Class<?> type) {
    try {
      type.getDeclaredConstructor();
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
