package dev.slotcache.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerBinaryTest {

  @TempDir
  Path temp;

  @Test
  void resolve_findsARunnableRedis62OrNewer() {
    Path binary = RedisServerBinary.resolve();
    assertTrue(Files.isExecutable(binary), binary.toString());
    String[] version = RedisServerBinary.version(binary).split("\\.");
    int major = Integer.parseInt(version[0]);
    assertTrue(major > 6 || (major == 6 && Integer.parseInt(version[1]) >= 2), String.join(".", version));
    assertEquals(binary, RedisServerBinary.resolve(), "resolved once per JVM");
  }

  @Test
  void find_withoutExplicitOrPath_extractsTheBundledBinaryOnce() throws IOException {
    Path cache = temp.resolve("cache");
    Path first = RedisServerBinary.find(null, temp.resolve("empty-dir").toString(), cache);
    assertTrue(first.startsWith(cache), first.toString());
    assertTrue(Files.isExecutable(first));
    long modified = Files.getLastModifiedTime(first).toMillis();
    assertEquals(first, RedisServerBinary.find(null, "", cache));
    assertEquals(modified, Files.getLastModifiedTime(first).toMillis(), "an intact copy is reused");
    try (var files = Files.list(cache)) {
      assertEquals(1, files.count(), "no temp files left over");
    }
  }

  @Test
  void extract_replacesATamperedCopy() throws IOException {
    Path cache = temp.resolve("cache");
    Path binary = RedisServerBinary.extract(bundled(), cache);
    long size = Files.size(binary);
    Files.writeString(binary, "#!/bin/sh\necho evil\n");
    Path again = RedisServerBinary.extract(bundled(), cache);
    assertEquals(binary, again);
    assertEquals(size, Files.size(again));
  }

  @Test
  void find_prefersRedisServerOnThePath() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("bin"));
    Path wrapper = dir.resolve("redis-server");
    Files.writeString(wrapper, "#!/bin/sh\nexec '" + RedisServerBinary.resolve() + "' \"$@\"\n");
    assertTrue(wrapper.toFile().setExecutable(true));
    assertEquals(wrapper, RedisServerBinary.find(null, "/nonexistent:" + dir, temp.resolve("cache")));
  }

  @Test
  void find_skipsATooOldRedisOnThePath() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("old"));
    fakeRedis(dir.resolve("redis-server"), "5.0.7");
    Path cache = temp.resolve("cache");
    assertTrue(RedisServerBinary.find(null, dir.toString(), cache).startsWith(cache));
  }

  @Test
  void find_explicitTooOld_failsNamingTheVersion() throws IOException {
    Path old = fakeRedis(temp.resolve("redis-5"), "5.0.7");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RedisServerBinary.find(old.toString(), null, temp));
    assertTrue(e.getMessage().contains("5.0.7") && e.getMessage().contains("6.2 or newer"), e.getMessage());
  }

  @Test
  void find_explicitMissing_failsNamingThePath() {
    Path missing = temp.resolve("no-such-redis");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> RedisServerBinary.find(missing.toString(), null, temp));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("slotcache-testkit.redis-server"),
        e.getMessage());
  }

  @Test
  void builder_withTooOldBinary_failsBeforeStartingAnything() throws IOException {
    Path old = fakeRedis(temp.resolve("redis-6-0"), "6.0.16");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LocalRedisCluster.builder().redisServer(old).start());
    assertTrue(e.getMessage().contains("6.0.16"), e.getMessage());
  }

  @Test
  void bundledName_coversLinuxAndMacOnX64AndArm() {
    assertEquals("redis-server-6.2.6-v5-linux-amd64", RedisServerBinary.bundledName("Linux", "amd64"));
    assertEquals("redis-server-6.2.7-linux-arm64", RedisServerBinary.bundledName("Linux", "aarch64"));
    assertEquals("redis-server-6.2.6-v5-darwin-amd64", RedisServerBinary.bundledName("Mac OS X", "x86_64"));
    assertEquals("redis-server-6.2.6-v5-darwin-arm64", RedisServerBinary.bundledName("Mac OS X", "aarch64"));
    assertNull(RedisServerBinary.bundledName("Windows 11", "amd64"));
    for (String name : new String[] {"redis-server-6.2.6-v5-linux-amd64", "redis-server-6.2.7-linux-arm64",
        "redis-server-6.2.6-v5-darwin-amd64", "redis-server-6.2.6-v5-darwin-arm64"}) {
      assertTrue(RedisServerBinary.class.getClassLoader().getResource(name) != null, name + " in embedded-redis");
    }
  }

  private static String bundled() {
    return RedisServerBinary.bundledName(System.getProperty("os.name"), System.getProperty("os.arch"));
  }

  private static Path fakeRedis(Path file, String version) throws IOException {
    Files.writeString(file, "#!/bin/sh\necho \"Redis server v=" + version + " sha=00000000:0 malloc=libc bits=64\"\n");
    assertTrue(file.toFile().setExecutable(true));
    return file;
  }
}
