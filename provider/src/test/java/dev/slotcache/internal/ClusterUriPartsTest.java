package dev.slotcache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The one way a cluster URI is split, for the manager, the URL handler and the redaction. */
class ClusterUriPartsTest {

  @Test
  void split_givesEveryPart_asWritten() {
    ClusterUriParts parts = ClusterUriParts.split("rediss://app:p%40ss@h1:7000,h2:7001/shop?timeout=1s&x=a/b");
    assertEquals("rediss", parts.scheme());
    assertEquals("app:p%40ss", parts.userInfo());
    assertEquals("h1:7000,h2:7001", parts.hosts());
    assertEquals("/shop", parts.path());
    assertEquals("timeout=1s&x=a/b", parts.query());
    assertEquals("app:p%40ss@h1:7000,h2:7001", parts.authority());
  }

  @Test
  void split_userInfoEndsAtTheLastAt_andOptionsAtTheFirstQuestionMark() {
    ClusterUriParts parts = ClusterUriParts.split("redis://u:a@b@h:1?n=x/y?z");
    assertEquals("u:a@b", parts.userInfo());
    assertEquals("h:1", parts.hosts());
    assertEquals("", parts.path(), "a / after the ? belongs to the options");
    assertEquals("n=x/y?z", parts.query());
  }

  @Test
  void split_withoutUserInfoPathOrOptions_givesNullOrEmpty() {
    ClusterUriParts parts = ClusterUriParts.split("redis://h:1");
    assertNull(parts.userInfo());
    assertEquals("", parts.path());
    assertNull(parts.query());
    assertNull(ClusterUriParts.split("classpath:settings.properties"));
  }

  @Test
  void withUserInfo_replacesOnlyTheUserInfo() {
    ClusterUriParts parts = ClusterUriParts.split("redis://u:secret@h:1/ns?a=b");
    assertEquals("redis://u:****@h:1/ns?a=b", parts.withUserInfo("u:****"));
    assertEquals("redis://h:1/ns?a=b", parts.withUserInfo(null));
  }
}
