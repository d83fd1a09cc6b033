package dev.slotcache.hibernate;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.slotcache.codec.KryoCustomizer;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.function.Function;
import org.hibernate.bytecode.enhance.spi.LazyPropertyInitializer;
import org.hibernate.cache.internal.BasicCacheKeyImplementation;
import org.hibernate.cache.internal.CacheKeyImplementation;
import org.hibernate.cache.internal.NaturalIdCacheKey;
import org.hibernate.cache.spi.QueryKey;
import org.hibernate.property.access.internal.PropertyAccessStrategyBackRefImpl;
import org.hibernate.query.spi.QueryParameterBindings;

/**
 * Kryo serializers for what Hibernate ORM puts into a second-level cache, registered with Slotcache's codec
 * through {@code META-INF/services/dev.slotcache.codec.KryoCustomizer} — for the dedicated region factory and for
 * stock {@code hibernate-jcache} alike.
 *
 * <ul>
 *   <li><b>Cache keys</b> ({@code BasicCacheKeyImplementation}, {@code CacheKeyImplementation},
 *       {@code NaturalIdCacheKey}, {@code QueryKey} and its parameter memento) carry a hash code computed by
 *       Hibernate's types, which may rest on identity hashes (an enum id or parameter) and so differ between JVMs.
 *       These serializers write only what {@code equals} compares, so equal keys are equal bytes everywhere.
 *       A decoded key gets a hash code computed from its parts; decoded keys are only seen when iterating a
 *       region's cache, never by Hibernate's lookups (Slotcache finds entries by their bytes).</li>
 *   <li><b>Marker singletons</b> in cached entity state ({@code LazyPropertyInitializer.UNFETCHED_PROPERTY},
 *       {@code PropertyAccessStrategyBackRefImpl.UNKNOWN}, the empty parameter memento) are compared by identity
 *       and decode to the very same instance.</li>
 * </ul>
 * Does nothing when Hibernate ORM is not on the class path.
 */
public final class HibernateKryoCustomizer implements KryoCustomizer {

  private static final boolean HIBERNATE_PRESENT = isPresent("org.hibernate.cache.spi.QueryKey");
  private static final String MEMENTO_CLASS =
      "org.hibernate.query.internal.QueryParameterBindingsImpl$ParameterBindingsMementoImpl";

  @Override
  public void customize(Kryo kryo, Purpose purpose) {
    if (HIBERNATE_PRESENT) {
      Registrations.addTo(kryo);
    }
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, HibernateKryoCustomizer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Holds every reference to Hibernate types, so that the customizer loads without Hibernate. */
  private static final class Registrations {
    private static final MementoSerializer MEMENTO = MementoSerializer.find();

    static void addTo(Kryo kryo) {
      kryo.addDefaultSerializer(BasicCacheKeyImplementation.class, new BasicKeySerializer());
      kryo.addDefaultSerializer(CacheKeyImplementation.class, new TenantKeySerializer<>(
          CacheKeyImplementation::getEntityOrRoleName, CacheKeyImplementation::getTenantId, CacheKeyImplementation::getId,
          (id, name, tenantId) -> new CacheKeyImplementation(id, name, tenantId,
              31 * deepHash(id) + Objects.hashCode(tenantId))));
      kryo.addDefaultSerializer(NaturalIdCacheKey.class, new TenantKeySerializer<>(
          NaturalIdCacheKey::getEntityName, NaturalIdCacheKey::getTenantId, NaturalIdCacheKey::getNaturalIdValues,
          (values, name, tenantId) -> new NaturalIdCacheKey(values, name, tenantId, deepHash(values))));
      try {
        kryo.addDefaultSerializer(QueryKey.class, new QueryKeySerializer());
      } catch (IllegalStateException e) {
        // another QueryKey layout (another Hibernate version): Kryo's field serializer applies
      }
      if (MEMENTO != null) {
        kryo.addDefaultSerializer(MEMENTO.type, MEMENTO);
      }
      addSingleton(kryo, LazyPropertyInitializer.UNFETCHED_PROPERTY);
      addSingleton(kryo, PropertyAccessStrategyBackRefImpl.UNKNOWN);
      addSingleton(kryo, QueryParameterBindings.NO_PARAMETER_BINDING_MEMENTO);
    }

    /** Writes nothing and reads the one instance: for markers compared with {@code ==}. */
    private static void addSingleton(Kryo kryo, Object singleton) {
      kryo.addDefaultSerializer(singleton.getClass(), new ImmutableSerializer<Object>() {
        @Override
        public void write(Kryo k, Output output, Object object) {
          // the class name says it all
        }

        @Override
        public Object read(Kryo k, Input input, Class<?> type) {
          return singleton;
        }
      });
    }
  }

  /** Hash of a key part as {@code equals} sees it: arrays by content. */
  static int deepHash(Object part) {
    return part instanceof Object[] array ? Arrays.deepHashCode(array) : Objects.hashCode(part);
  }

  /** A serializer of immutable objects: Kryo's {@code copy} hands out the same instance. */
  private abstract static class ImmutableSerializer<T> extends Serializer<T> {
    ImmutableSerializer() {
      super(false, true);
    }
  }

  private static final class BasicKeySerializer extends ImmutableSerializer<BasicCacheKeyImplementation> {
    @Override
    public void write(Kryo kryo, Output output, BasicCacheKeyImplementation key) {
      output.writeString(key.getEntityOrRoleName());
      kryo.writeClassAndObject(output, key.getId());
    }

    @Override
    public BasicCacheKeyImplementation read(Kryo kryo, Input input, Class<? extends BasicCacheKeyImplementation> type) {
      String name = input.readString();
      Serializable id = (Serializable) kryo.readClassAndObject(input);
      return new BasicCacheKeyImplementation(id, name, deepHash(id));
    }
  }

  /** Rebuilds a key of a tenant from its parts. */
  @FunctionalInterface
  private interface TenantKeyFactory<K> {
    K create(Object id, String name, String tenantId);
  }

  /**
   * A key of a name, a tenant id and an id — {@code CacheKeyImplementation} (entity or collection role, id) and
   * {@code NaturalIdCacheKey} (entity, natural-id values) alike: the three parts, in that order.
   */
  private static final class TenantKeySerializer<K> extends ImmutableSerializer<K> {
    private final Function<K, String> name;
    private final Function<K, String> tenantId;
    private final Function<K, Object> id;
    private final TenantKeyFactory<K> factory;

    TenantKeySerializer(Function<K, String> name, Function<K, String> tenantId, Function<K, Object> id,
        TenantKeyFactory<K> factory) {
      this.name = name;
      this.tenantId = tenantId;
      this.id = id;
      this.factory = factory;
    }

    @Override
    public void write(Kryo kryo, Output output, K key) {
      output.writeString(name.apply(key));
      output.writeString(tenantId.apply(key));
      kryo.writeClassAndObject(output, id.apply(key));
    }

    @Override
    public K read(Kryo kryo, Input input, Class<? extends K> type) {
      String keyName = input.readString();
      String keyTenantId = input.readString();
      return factory.create(kryo.readClassAndObject(input), keyName, keyTenantId);
    }
  }

  /**
   * {@code QueryKey} has no accessors; its fields are read reflectively (once per serializer). Its hash code is
   * transient and rebuilt by its constructor.
   */
  private static final class QueryKeySerializer extends ImmutableSerializer<QueryKey> {
    private final Field sql = field(QueryKey.class, "sqlQueryString");
    private final Field memento = field(QueryKey.class, "parameterBindingsMemento");
    private final Field firstRow = field(QueryKey.class, "firstRow");
    private final Field maxRows = field(QueryKey.class, "maxRows");
    private final Field filterNames = field(QueryKey.class, "enabledFilterNames");

    @Override
    public void write(Kryo kryo, Output output, QueryKey key) {
      output.writeString((String) get(sql, key));
      kryo.writeClassAndObject(output, get(memento, key));
      kryo.writeObjectOrNull(output, get(firstRow, key), Integer.class);
      kryo.writeObjectOrNull(output, get(maxRows, key), Integer.class);
      String[] names = (String[]) get(filterNames, key);
      output.writeVarInt(names.length, true);
      for (String name : names) {
        output.writeString(name);
      }
    }

    @Override
    public QueryKey read(Kryo kryo, Input input, Class<? extends QueryKey> type) {
      String sqlText = input.readString();
      QueryKey.ParameterBindingsMemento bindings = (QueryKey.ParameterBindingsMemento) kryo.readClassAndObject(input);
      Integer first = kryo.readObjectOrNull(input, Integer.class);
      Integer max = kryo.readObjectOrNull(input, Integer.class);
      int count = input.readVarInt(true);
      LinkedHashSet<String> names = new LinkedHashSet<>();
      for (int i = 0; i < count; i++) {
        names.add(input.readString());
      }
      return new QueryKey(sqlText, bindings, first, max, names);
    }
  }

  /**
   * Hibernate's private parameter memento, through reflection: its values are written, and its constructor
   * rebuilds it. Stateless once found, so one instance serves every Kryo.
   */
  private static final class MementoSerializer extends ImmutableSerializer<Object> {
    final Class<?> type;
    private final Field values;
    private final Constructor<?> constructor;

    private MementoSerializer(Class<?> type, Field values, Constructor<?> constructor) {
      this.type = type;
      this.values = values;
      this.constructor = constructor;
    }

    /** The serializer of this Hibernate version's memento, or null when the memento is another. */
    static MementoSerializer find() {
      try {
        Class<?> type = Class.forName(MEMENTO_CLASS, false, HibernateKryoCustomizer.class.getClassLoader());
        Constructor<?> constructor = type.getDeclaredConstructor(Object[].class, int.class);
        constructor.setAccessible(true);
        return new MementoSerializer(type, field(type, "values"), constructor);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // another Hibernate version: the default serializer applies
      }
    }

    @Override
    public void write(Kryo kryo, Output output, Object memento) {
      kryo.writeClassAndObject(output, get(values, memento));
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
      Object[] parts = (Object[]) kryo.readClassAndObject(input);
      try {
        return constructor.newInstance(parts, Arrays.deepHashCode(parts));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot rebuild " + MEMENTO_CLASS + ": " + e, e);
      }
    }
  }

  private static Field field(Class<?> type, String name) {
    try {
      Field field = type.getDeclaredField(name);
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("this Hibernate version has no field " + type.getName() + "." + name, e);
    }
  }

  private static Object get(Field field, Object target) {
    try {
      return field.get(target);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + field + ": " + e, e);
    }
  }
}
