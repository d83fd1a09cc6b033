package dev.slotcache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.slotcache.spi.SlotcacheCachingProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/** A password given in the URI's user info or as an option appears in no message, toString or log line. */
class PasswordNeverShownTest extends ClusterTest {

  @Test
  void managerWithPasswords_messagesAndLogs_neverShowThem() {
    List<String> shown = new ArrayList<>();
    try (LogCapture log = new LogCapture()) {
      String seeds = cluster.uri().substring("redis://".length());
      // The shared test cluster has no ACL users: the manager fails to authenticate, which is what the messages show.
      URI uri = URI.create("redis://app:s3cret-a@" + seeds + "/pw?password=s3cret-b&timeout=500ms&max-retry-time=1s");
      CacheManager withPassword = new SlotcacheCachingProvider().getCacheManager(uri, getClass().getClassLoader());
      shown.add(withPassword.toString());
      shown.add(assertThrows(CacheException.class, () -> withPassword.createCache("c",
          new MutableConfiguration<String, String>())).getMessage());
      withPassword.close();
      shown.add(assertThrows(IllegalStateException.class, () -> withPassword.getCache("c")).getMessage());
      shown.add(assertThrows(CacheException.class, () -> new SlotcacheCachingProvider().getCacheManager(
          URI.create("redis://app:s3cret-c@" + seeds + "/pw?password=s3cret-d&bogus"), getClass().getClassLoader()))
          .getMessage());
      shown.add(log.all());
    }
    for (String text : shown) {
      assertFalse(text.contains("s3cret"), text);
    }
  }
}
