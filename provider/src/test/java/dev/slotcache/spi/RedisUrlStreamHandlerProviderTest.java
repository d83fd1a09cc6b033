package dev.slotcache.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * {@code new URL("redis://…")} works through the {@code java.net.spi.URLStreamHandlerProvider} this module lists,
 * found by the JDK through the system class loader (which is how tests run), and gives the URI back unchanged.
 */
@SuppressWarnings("deprecation") // new URL(String) is what the frameworks call
class RedisUrlStreamHandlerProviderTest {

  @Test
  void redisUrl_roundTripsToTheSameUri() throws Exception {
    String text = "redis://127.0.0.1:7000,127.0.0.1:7001/shop?client-name=server-a&timeout=500ms";
    URL url = new URL(text);
    assertEquals("redis", url.getProtocol());
    assertEquals("/shop", url.getPath());
    assertEquals("client-name=server-a&timeout=500ms", url.getQuery());
    URI uri = url.toURI();
    assertEquals(URI.create(text), uri);
    assertEquals(text, uri.toString());
  }

  @Test
  void redissUrl_withCredentials_keepsThem() throws Exception {
    String text = "rediss://app:s3cret@10.0.0.5:7000";
    URL url = new URL(text);
    assertEquals("app:s3cret", url.getUserInfo());
    assertEquals(text, url.toURI().toString());
    assertEquals(text, url.toExternalForm());
  }

  @Test
  void openingTheUrl_failsWithAClearMessage_withoutThePassword() throws Exception {
    URL url = new URL("redis://app:s3cret@127.0.0.1:7000/shop");
    IOException e = assertThrows(IOException.class, url::openStream);
    assertTrue(e.getMessage().contains("names a Redis Cluster"), e.getMessage());
    assertTrue(e.getMessage().contains("app:****@127.0.0.1:7000"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void equality_comparesText_withoutResolvingNames() throws Exception {
    assertEquals(new URL("redis://a:1,b:2/x"), new URL("redis://a:1,b:2/x"));
    assertFalse(new URL("redis://a:1,b:2/x").equals(new URL("redis://a:1,b:2/y")));
    assertEquals(new URL("redis://a:1,b:2/x").hashCode(), new URL("redis://a:1,b:2/x").hashCode());
  }

  @Test
  void otherSchemes_areLeftToTheJdk() {
    assertNull(new RedisUrlStreamHandlerProvider().createURLStreamHandler("http"));
    assertThrows(MalformedURLException.class, () -> new URL("redisx://a:1"));
  }

  @Test
  void aRedisUrlWithoutSlashes_isRefused() {
    assertThrows(MalformedURLException.class, () -> new URL("redis:a:1"));
  }
}
