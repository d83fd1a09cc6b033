package dev.slotcache.internal.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotcache.ClusterTest;
import dev.slotcache.EventLog;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListenerFuture;
import javax.cache.processor.EntryProcessorException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Read-through ({@code setReadThrough(true)} with a loader): get, getAll and invoke load what is missing, store it
 * as a creation — the creation TTL, a CREATED event, no call of the writer — and a failing loader surfaces as a
 * {@link CacheLoaderException}; {@code loadAll} loads the missing keys, or every key when replacing.
 */
class ReadThroughTest extends ClusterTest {

  private final RecordingLoader loader = new RecordingLoader();
  private final RecordingWriter writer = new RecordingWriter();
  private final EventLog events = new EventLog();
  private Cache<String, String> cache;

  @BeforeEach
  void createCache() {
    MutableConfiguration<String, String> configuration = new MutableConfiguration<String, String>()
        .setTypes(String.class, String.class)
        .setReadThrough(true).setCacheLoaderFactory(new FactoryBuilder.SingletonFactory<>(loader))
        .setWriteThrough(true).setCacheWriterFactory(new FactoryBuilder.SingletonFactory<>(writer))
        .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))
        .addCacheEntryListenerConfiguration(events.configuration(true, true));
    cache = manager.createCache("read-through", configuration);
  }

  @Test
  void get_missingKey_isLoadedOnce_storedAsACreation_andNotWritten() {
    assertEquals("loaded a", cache.get("a"));
    assertEquals("loaded a", cache.get("a"), "the second get is a hit");
    assertEquals(List.of(List.of("a")), loader.calls());
    assertCreatedByLoad("a");
  }

  @Test
  void get_keyTheLoaderHasNothingFor_isNullAndNothingIsStored() {
    assertNull(cache.get("none"));
    assertFalse(cache.containsKey("none"));
    assertEquals(List.of(), events.take());
  }

  @Test
  void get_presentKey_isNotLoaded() {
    cache.put("a", "mine");
    assertEquals("mine", cache.get("a"));
    assertEquals(List.of(), loader.calls());
  }

  @Test
  void getAll_loadsTheMissingKeysInOneCall_andStoresWhatTheLoaderHas() {
    given("a", "mine");
    Set<String> keys = new LinkedHashSet<>(List.of("a", "b", "none"));
    assertEquals(Map.of("a", "mine", "b", "loaded b"), cache.getAll(keys));
    assertEquals(List.of(List.of("b", "none")), loader.calls());
    assertCreatedByLoad("b");
    assertFalse(cache.containsKey("none"));
  }

  @Test
  void invoke_getValueOfAMissingEntry_loadsIt_andStoresItAsACreation() {
    assertEquals("loaded c", cache.invoke("c", (entry, arguments) -> entry.getValue()));
    assertEquals(List.of(List.of("c")), loader.calls());
    assertCreatedByLoad("c");
  }

  @Test
  void invoke_withoutGetValue_loadsNothing() {
    Boolean exists = cache.invoke("c", (entry, arguments) -> entry.exists());
    assertFalse(exists);
    assertEquals(List.of(), loader.calls());
    assertFalse(cache.containsKey("c"));
  }

  @Test
  void failingLoader_isACacheLoaderException_forGetGetAllAndInvoke() {
    CacheLoaderException get = assertThrows(CacheLoaderException.class, () -> cache.get("fail-1"));
    assertInstanceOf(IllegalStateException.class, get.getCause());
    CacheLoaderException getAll = assertThrows(CacheLoaderException.class, () -> cache.getAll(Set.of("fail-2")));
    assertInstanceOf(IllegalStateException.class, getAll.getCause());
    EntryProcessorException invoke = assertThrows(EntryProcessorException.class,
        () -> cache.invoke("fail-3", (entry, arguments) -> entry.getValue()));
    assertInstanceOf(CacheLoaderException.class, invoke.getCause());
    assertSame(RecordingLoader.SPEC_FAILURE, assertThrows(CacheLoaderException.class, () -> cache.get("spec")),
        "the loader's own CacheLoaderException passes unwrapped");
    assertFalse(cache.containsKey("fail-1") || cache.containsKey("fail-2") || cache.containsKey("fail-3"));
  }

  @Test
  void loadAll_loadsOnlyTheKeysThatAreMissing() throws Exception {
    given("a", "mine");
    loadAll(false, "a", "b");
    assertEquals(List.of(List.of("b")), loader.calls());
    assertEquals("mine", cache.get("a"));
    assertCreatedByLoad("b");
  }

  @Test
  void loadAll_replacingExistingValues_loadsEveryKey_andReplacesAsAnUpdate() throws Exception {
    given("a", "mine");
    loadAll(true, "a", "b");
    assertEquals(List.of(List.of("a", "b")), loader.calls());
    assertEquals("loaded a", cache.get("a"));
    assertEquals("loaded b", cache.get("b"));
    assertEquals(List.of("UPDATED a loaded a mine", "CREATED b loaded b null"), events.take());
    assertEquals(List.of(), writer.calls(), "loads are not written through");
  }

  @Test
  void loadAll_failingLoader_reportsACacheLoaderException() throws Exception {
    CompletionListenerFuture done = new CompletionListenerFuture();
    cache.loadAll(Set.of("fail"), false, done);
    ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
    assertInstanceOf(CacheLoaderException.class, e.getCause());
    assertFalse(cache.containsKey("fail"));
  }

  @Test
  void loadAll_withoutLoader_completesAtOnce() throws Exception {
    Cache<String, String> plain = stringCache("no-loader");
    CompletionListenerFuture done = new CompletionListenerFuture();
    plain.loadAll(Set.of("a"), true, done);
    done.get(1, TimeUnit.SECONDS);
    assertFalse(plain.containsKey("a"));
  }

  /** {@code key=value} in the cache, then the writer's and the listener's records cleared. */
  private void given(String key, String value) {
    cache.put(key, value);
    writer.forget();
    events.take();
  }

  private void loadAll(boolean replaceExistingValues, String... keys) throws Exception {
    CompletionListenerFuture done = new CompletionListenerFuture();
    cache.loadAll(new LinkedHashSet<>(List.of(keys)), replaceExistingValues, done);
    done.get(10, TimeUnit.SECONDS);
  }

  /** The entry was loaded: stored with the creation TTL, announced as created, not handed to the writer. */
  private void assertCreatedByLoad(String key) {
    long ttl = pttl(cache, key);
    assertTrue(ttl > 3_500_000 && ttl <= 3_600_000, key + " has the creation TTL, pttl " + ttl);
    assertEquals(List.of("CREATED " + key + " loaded " + key + " null"), events.take());
    assertEquals(List.of(), writer.calls(), "loads are not written through");
  }
}
