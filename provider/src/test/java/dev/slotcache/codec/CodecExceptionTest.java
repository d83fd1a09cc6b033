package dev.slotcache.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

class CodecExceptionTest {

  @Test
  void inCache_prefixesTheCacheName_andKeepsTheFailureAsCause() {
    CodecException failure = new ClassNotVisibleException("com.acme.Order", "class com.acme.Order is not visible", null);
    CacheException reported = failure.inCache("orders");
    assertEquals("cache 'orders': class com.acme.Order is not visible", reported.getMessage());
    assertSame(failure, reported.getCause());
    assertFalse(reported instanceof CodecException, "the cache reports a plain CacheException, as before");
  }
}
