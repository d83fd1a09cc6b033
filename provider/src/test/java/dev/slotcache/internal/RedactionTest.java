package dev.slotcache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void forMessages_masksPasswordsInUserInfoAndOptions_keepsTheRest() {
    assertEquals("redis://app:****@h:1,h:2/ns?timeout=2s&password=****&slotcache.password=****",
        Redaction.forMessages("redis://app:s3cret@h:1,h:2/ns?timeout=2s&password=s3cret&slotcache.password=x"));
    assertEquals("rediss://app@h:1/ns", Redaction.forMessages("rediss://app@h:1/ns"));
    assertEquals("urn:slotcache:default", Redaction.forMessages("urn:slotcache:default"));
    assertEquals("redis://h:1/a@b", Redaction.forMessages("redis://h:1/a@b"), "an @ in the namespace is no user info");
  }

  @Test
  void withoutCredentials_dropsUserInfoAndCredentialOptions() {
    assertEquals("redis://h:1/ns?timeout=2s",
        Redaction.withoutCredentials("redis://app:s3cret@h:1/ns?user=app&timeout=2s&pass%77ord=s3cret"));
    assertEquals("redis://h:1/ns", Redaction.withoutCredentials("redis://h:1/ns?password=s3cret"));
  }
}
