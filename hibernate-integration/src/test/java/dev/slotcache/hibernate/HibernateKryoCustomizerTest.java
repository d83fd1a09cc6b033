package dev.slotcache.hibernate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.slotcache.codec.ClassPolicy;
import dev.slotcache.codec.KryoCodec;
import java.lang.reflect.Constructor;
import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.SessionFactory;
import org.hibernate.bytecode.enhance.spi.LazyPropertyInitializer;
import org.hibernate.cache.internal.BasicCacheKeyImplementation;
import org.hibernate.cache.internal.CacheKeyImplementation;
import org.hibernate.cache.internal.NaturalIdCacheKey;
import org.hibernate.cache.spi.QueryKey;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.property.access.internal.PropertyAccessStrategyBackRefImpl;
import org.hibernate.query.spi.QueryParameterBindings;
import org.junit.jupiter.api.Test;

/**
 * Hibernate's cache keys encode canonically: equal keys give equal bytes even when their precomputed hash codes
 * differ (as they do between JVMs when a hash rests on identity, e.g. of an enum); marker singletons decode to
 * themselves. The customizer is found through {@code META-INF/services}, as in production.
 */
class HibernateKryoCustomizerTest {

  private final KryoCodec codec = new KryoCodec(getClass().getClassLoader(), ClassPolicy.denyList(), 1 << 20);

  @Test
  void entityKeys_withDifferentPrecomputedHashes_encodeIdentically() {
    byte[] a = codec.encodeKey(new BasicCacheKeyImplementation(DayOfWeek.MONDAY, "com.acme.Shift", 17));
    byte[] b = codec.encodeKey(new BasicCacheKeyImplementation(DayOfWeek.MONDAY, "com.acme.Shift", 4242));
    assertArrayEquals(a, b);
    assertNotEquals(Arrays.toString(a),
        Arrays.toString(codec.encodeKey(new BasicCacheKeyImplementation(DayOfWeek.TUESDAY, "com.acme.Shift", 17))));
    BasicCacheKeyImplementation decoded = (BasicCacheKeyImplementation) codec.decodeKey(a);
    assertEquals(DayOfWeek.MONDAY, decoded.getId());
    assertEquals("com.acme.Shift", decoded.getEntityOrRoleName());
  }

  @Test
  void tenantAndCompositeKeys_withDifferentHashes_encodeIdentically() {
    Object[] composite = {7L, "x"};
    byte[] a = codec.encodeKey(new CacheKeyImplementation(composite, "com.acme.Line", "tenant-1", 1));
    byte[] b = codec.encodeKey(new CacheKeyImplementation(composite.clone(), "com.acme.Line", "tenant-1", 2));
    assertArrayEquals(a, b);
    CacheKeyImplementation decoded = (CacheKeyImplementation) codec.decodeKey(a);
    assertEquals("tenant-1", decoded.getTenantId());
    assertArrayEquals(composite, (Object[]) decoded.getId());
  }

  @Test
  void naturalIdKeys_withDifferentHashes_encodeIdentically() {
    Object[] values = {"isbn-1", DayOfWeek.FRIDAY};
    byte[] a = codec.encodeKey(new NaturalIdCacheKey(values, "com.acme.Book", null, 5));
    byte[] b = codec.encodeKey(new NaturalIdCacheKey(values.clone(), "com.acme.Book", null, 6));
    assertArrayEquals(a, b);
    assertArrayEquals(values, (Object[]) ((NaturalIdCacheKey) codec.decodeKey(a)).getNaturalIdValues());
  }

  @Test
  void queryKeys_withDifferentParameterHashes_encodeIdentically_andDecodeWithTheirHash() throws Exception {
    QueryKey a = new QueryKey("select * from book where day = ?", memento(new Object[] {DayOfWeek.MONDAY}, 1),
        0, 10, new LinkedHashSet<>(List.of("active")));
    QueryKey b = new QueryKey("select * from book where day = ?", memento(new Object[] {DayOfWeek.MONDAY}, 2),
        0, 10, new LinkedHashSet<>(List.of("active")));
    byte[] encoded = codec.encodeKey(a);
    assertArrayEquals(encoded, codec.encodeKey(b));
    QueryKey decoded = (QueryKey) codec.decodeKey(encoded);
    assertNotEquals(0, decoded.hashCode(), "the transient hash is rebuilt");
    assertArrayEquals(encoded, codec.encodeKey(decoded), "a decoded key encodes to the same bytes");
    QueryKey noParameters = new QueryKey("select 1", QueryParameterBindings.NO_PARAMETER_BINDING_MEMENTO, null, null,
        Set.of());
    QueryKey decodedNoParameters = (QueryKey) codec.decodeKey(codec.encodeKey(noParameters));
    assertEquals(noParameters, decodedNoParameters, "the empty memento decodes to Hibernate's singleton");
  }

  @Test
  void markerSingletons_decodeToTheSameInstance() {
    Object[] state = {LazyPropertyInitializer.UNFETCHED_PROPERTY, PropertyAccessStrategyBackRefImpl.UNKNOWN, "x"};
    Object[] decoded = (Object[]) codec.decodeValue(codec.encodeValue(state));
    assertSame(LazyPropertyInitializer.UNFETCHED_PROPERTY, decoded[0]);
    assertSame(PropertyAccessStrategyBackRefImpl.UNKNOWN, decoded[1]);
    assertEquals("x", decoded[2]);
  }

  @Test
  void keysOfTwoSessionFactories_encodeIdentically() {
    try (SessionFactory first = keysOnlyFactory("a"); SessionFactory second = keysOnlyFactory("b")) {
      assertArrayEquals(codec.encodeKey(entityKey(first, 42L)), codec.encodeKey(entityKey(second, 42L)));
      assertNotEquals(Arrays.toString(codec.encodeKey(entityKey(first, 42L))),
          Arrays.toString(codec.encodeKey(entityKey(first, 43L))));
    }
  }

  private static Object entityKey(SessionFactory factory, long id) {
    SessionFactoryImplementor implementor = factory.unwrap(SessionFactoryImplementor.class);
    EntityPersister persister = implementor.getMappingMetamodel().getEntityDescriptor(Book.class);
    return persister.getCacheAccessStrategy().generateCacheKey(id, persister, implementor, null);
  }

  /**
   * A SessionFactory whose cache points at a port nobody listens on: only its key generation is used (the
   * Slotcache region factory starts without Redis).
   */
  private static SessionFactory keysOnlyFactory(String name) {
    return new Configuration().addAnnotatedClass(Book.class).addAnnotatedClass(Author.class)
        .setProperty("hibernate.connection.url", "jdbc:h2:mem:keys-" + name)
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.region.factory_class", "slotcache")
        .setProperty("hibernate.cache.slotcache.uri", "redis://127.0.0.1:1/keys-" + name)
        .setProperty("slotcache.max-attempts", "1")
        .buildSessionFactory();
  }

  private static QueryKey.ParameterBindingsMemento memento(Object[] values, int hash) throws Exception {
    Class<?> type = Class.forName(
        "org.hibernate.query.internal.QueryParameterBindingsImpl$ParameterBindingsMementoImpl");
    Constructor<?> constructor = type.getDeclaredConstructor(Object[].class, int.class);
    constructor.setAccessible(true);
    return (QueryKey.ParameterBindingsMemento) constructor.newInstance(values, hash);
  }
}
