package dev.slotcache.cdi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.DefinitionException;
import javax.cache.annotation.CachePut;
import javax.cache.annotation.CacheRemove;
import javax.cache.annotation.CacheResult;
import javax.cache.annotation.CacheValue;
import org.junit.jupiter.api.Test;

/** Contradictory cache annotations fail the deployment, with a message that names the method and the fix. */
class DeploymentValidationTest {

  @Test
  void cachePut_withoutCacheValue_isADefinitionError() {
    assertFailsNaming(PutWithoutValue.class, "PutWithoutValue.save(java.lang.String)", "no @CacheValue parameter");
  }

  @Test
  void cachePut_withTwoCacheValues_isADefinitionError() {
    assertFailsNaming(TwoValues.class, "TwoValues.save(java.lang.String,java.lang.String)",
        "more than one @CacheValue parameter");
  }

  @Test
  void twoCacheAnnotationsOnAMethod_areADefinitionError() {
    assertFailsNaming(TwoAnnotations.class, "TwoAnnotations.both(java.lang.String)",
        "carries both @CacheResult and @CacheRemove");
  }

  @Test
  void classLevelCachePut_onAMethodWithoutCacheValue_isADefinitionError() {
    assertFailsNaming(ClassLevelPut.class, "ClassLevelPut.touch(java.lang.String)", "no @CacheValue parameter");
  }

  @Test
  void cacheAnnotationOnAFinalMethod_isADefinitionError() {
    assertFailsNaming(FinalMethod.class, "FinalMethod.find(java.lang.String)", "remove the final modifier");
  }

  private static void assertFailsNaming(Class<?> beanClass, String method, String problem) {
    DefinitionException e = assertThrows(DefinitionException.class, () -> Containers.start(beanClass).close());
    String messages = messages(e);
    assertTrue(messages.contains(method), messages);
    assertTrue(messages.contains(problem), messages);
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  /** Invalid: nothing to put. */
  @ApplicationScoped
  public static class PutWithoutValue {
    @CachePut(cacheName = "cdi-invalid")
    public void save(String key) {
    }
  }

  /** Invalid: two values. */
  @ApplicationScoped
  public static class TwoValues {
    @CachePut(cacheName = "cdi-invalid")
    public void save(@CacheValue String first, @CacheValue String second) {
    }
  }

  /** Invalid: two cache annotations. */
  @ApplicationScoped
  public static class TwoAnnotations {
    @CacheResult
    @CacheRemove
    public String both(String key) {
      return key;
    }
  }

  /** Invalid: the class-level put applies to a method without a value. */
  @ApplicationScoped
  @CachePut(cacheName = "cdi-invalid")
  public static class ClassLevelPut {
    public void save(String key, @CacheValue String value) {
    }

    public void touch(String key) {
    }
  }

  /** Invalid: no interceptor reaches a final method. */
  @Dependent
  public static class FinalMethod {
    @CacheResult
    public final String find(String key) {
      return key;
    }
  }
}
