package dev.slotcache.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

class SegmentedKeyLayoutTest {

  @Test
  void redisKey_isNamespaceHashTagAndReadableKey() {
    SegmentedKeyLayout layout = new SegmentedKeyLayout("orders", "users", 256);
    byte[] key = "alice".getBytes(StandardCharsets.UTF_8);
    String redisKey = new String(layout.redisKey(key), StandardCharsets.UTF_8);
    assertTrue(redisKey.matches("orders:\\{users:\\d+(\\.\\d+)?}:alice"), redisKey);
    int segment = layout.segmentOf(key);
    assertEquals(layout.slot(segment), JedisClusterCRC16.getSlot(layout.redisKey(key)));
  }

  @Test
  void segments_fallInEqualStripesOfTheSlotSpace() {
    for (int segments : new int[] {1, 3, 16, 256, 1024}) {
      SegmentedKeyLayout layout = new SegmentedKeyLayout("ns", "cache", segments);
      for (int s = 0; s < segments; s++) {
        int slot = layout.slot(s);
        assertTrue(slot >= (long) s * 16384 / segments && slot < (long) (s + 1) * 16384 / segments,
            segments + " segments: segment " + s + " at slot " + slot);
      }
    }
  }

  @Test
  void userKeyBytes_neverChooseTheSlot() {
    SegmentedKeyLayout layout = new SegmentedKeyLayout("ns", "cache", 64);
    byte[] braces = "{evil}".getBytes(StandardCharsets.UTF_8);
    int slot = JedisClusterCRC16.getSlot(layout.redisKey(braces));
    assertEquals(layout.slot(layout.segmentOf(braces)), slot);
  }

  @Test
  void names_areEscaped_soNoCacheReachesAnother() {
    assertEquals("a%2A", SegmentedKeyLayout.escape("a*", true));
    assertEquals("x%7By%7D", SegmentedKeyLayout.escape("x{y}", true));
    assertEquals("a%3Ab", SegmentedKeyLayout.escape("a:b", true));
    assertEquals("a:b", SegmentedKeyLayout.escape("a:b", false));
    assertEquals("caf\u00e9%20bar", SegmentedKeyLayout.escape("caf\u00e9 bar", true));
    SegmentedKeyLayout tricky = new SegmentedKeyLayout("ns", "a}:{b", 4);
    String prefix = new String(tricky.prefix(0), StandardCharsets.UTF_8);
    assertTrue(prefix.startsWith("ns:{a%7D%3A%7Bb:0"), prefix);
  }

  @Test
  void encodedKey_recognisesOnlyOwnPrefix() {
    SegmentedKeyLayout users = new SegmentedKeyLayout("ns", "users", 8);
    SegmentedKeyLayout user = new SegmentedKeyLayout("ns", "user", 8);
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    int segment = users.segmentOf(key);
    assertArrayEquals(key, users.encodedKey(segment, users.redisKey(key)));
    assertNull(users.encodedKey(segment, user.redisKey(segment, key)));
  }

  @Test
  void layout_isTheSameInEveryJvm() {
    SegmentedKeyLayout a = new SegmentedKeyLayout("ns", "c", 256);
    SegmentedKeyLayout b = new SegmentedKeyLayout("ns", "c", 256);
    for (int s = 0; s < 256; s++) {
      assertArrayEquals(a.prefix(s), b.prefix(s));
    }
  }
}
