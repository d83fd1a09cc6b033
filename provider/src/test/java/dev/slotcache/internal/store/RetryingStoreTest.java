package dev.slotcache.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What the retrying wrapper repeats and what it leaves to the caller: around a store that fails a given number of
 * times, on a clock that the pauses advance (no real waiting).
 */
class RetryingStoreTest {

  private static final byte[] KEY = {'k'};
  private static final byte[] RECORD = {'r'};

  private long now;
  private final List<Long> pauses = new ArrayList<>();

  /** A store whose next {@code failures} calls fail with {@code failure}; counts its calls. */
  private final class Failing {
    int calls;
    int failures;
    StoreException failure;

    CacheStore store() {
      return (CacheStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CacheStore.class},
          (proxy, method, args) -> {
            calls++;
            if (failures > 0) {
              failures--;
              throw failure;
            }
            Class<?> type = method.getReturnType();
            return type == boolean.class ? Boolean.TRUE : type == long.class ? 7L : type == byte[].class ? RECORD
                : type == boolean[].class ? new boolean[0] : type == List.class ? List.of() : null;
          });
    }
  }

  private Failing failing(int times, StoreException failure) {
    Failing failing = new Failing();
    failing.failures = times;
    failing.failure = failure;
    return failing;
  }

  private RetryingStore retrying(Failing failing, Duration budget) {
    return new RetryingStore(failing.store(), budget, () -> now, nanos -> {
      pauses.add(TimeUnit.NANOSECONDS.toMillis(nanos));
      now += nanos;
    });
  }

  private static StoreException clusterDown() {
    return new StoreException("cache 'c': get on n failed", new JedisDataException("CLUSTERDOWN The cluster is down"));
  }

  private static StoreException replyLost() {
    return new StoreException("cache 'c': put on n failed", new JedisConnectionException("Read timed out"), true);
  }

  @Test
  void get_clusterDownTwice_retriedWithGrowingPauses_thenAnswers() {
    Failing failing = failing(2, clusterDown());
    assertSame(RECORD, retrying(failing, Duration.ofSeconds(10)).get(KEY));
    assertEquals(3, failing.calls);
    assertEquals(List.of(10L, 20L), pauses);
  }

  @Test
  void get_failingThroughTheBudget_throwsTheLastFailure_afterPausingNoLongerThanTheBudget() {
    StoreException down = clusterDown();
    Failing failing = failing(Integer.MAX_VALUE, down);
    StoreException thrown = assertThrows(StoreException.class, () -> retrying(failing, Duration.ofSeconds(1)).get(KEY));
    assertSame(down, thrown);
    assertEquals(1_000, pauses.stream().mapToLong(Long::longValue).sum(), "paused until the budget was spent");
    assertTrue(pauses.stream().allMatch(p -> p <= 200), pauses.toString());
    assertEquals(pauses.size() + 1, failing.calls);
  }

  @Test
  void get_permanentFailure_notRetried() {
    Failing failing = failing(1, new StoreException("cache 'c': get on n failed",
        new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value")));
    assertThrows(StoreException.class, () -> retrying(failing, Duration.ofSeconds(10)).get(KEY));
    assertEquals(1, failing.calls);
  }

  @Test
  void repeatableOperations_replyLost_retried() {
    List<Consumer<CacheStore>> repeatable = List.of(
        store -> store.get(KEY),
        store -> store.getAndExpire(KEY, 1_000),
        store -> store.expire(KEY, 1_000),
        store -> store.put(KEY, RECORD, 1_000, 1_000, false),
        store -> store.put(KEY, RECORD, Ttl.PERSIST, Ttl.KEEP, false),
        store -> store.remove(KEY, false),
        store -> store.watch(KEY),
        store -> store.getAll(List.of(KEY)),
        store -> store.putAll(List.of(KEY), List.of(RECORD), 1_000, Ttl.KEEP),
        store -> store.removeAll(List.of(KEY)),
        store -> store.keysOfSegments(0, 1),
        CacheStore::clear);
    for (int i = 0; i < repeatable.size(); i++) {
      Failing failing = failing(1, replyLost());
      repeatable.get(i).accept(retrying(failing, Duration.ofSeconds(10)));
      assertEquals(2, failing.calls, "operation " + i + " is repeated");
    }
  }

  @Test
  void writesARepeatWouldChange_replyLost_leftToTheCaller() {
    List<Consumer<CacheStore>> once = List.of(
        store -> store.getAndExpire(KEY, Ttl.EXPIRE_NOW),
        store -> store.put(KEY, RECORD, 1_000, 1_000, true),
        store -> store.put(KEY, RECORD, 1_000, 2_000, false),
        store -> store.putIfAbsent(KEY, RECORD, 1_000),
        store -> store.replace(KEY, RECORD, 1_000, false),
        store -> store.remove(KEY, true),
        store -> store.compareAndSet(KEY, null, RECORD, 1_000),
        store -> store.replaceIfEqual(KEY, RECORD, RECORD, 1_000, Ttl.KEEP),
        store -> store.deleteIfSame(KEY, RECORD));
    assertEachFailsWithoutRepeat(once, RetryingStoreTest::replyLost, "operation",
        " is not repeated after a lost reply");
  }

  @Test
  void writesARepeatWouldChange_certainlyNotApplied_retried() {
    StoreException refused = new StoreException("cache 'c': putIfAbsent on n failed",
        new JedisConnectionException("Failed to connect to n.", new ConnectException("Connection refused")));
    Failing failing = failing(2, refused);
    assertTrue(retrying(failing, Duration.ofSeconds(10)).putIfAbsent(KEY, RECORD, 1_000));
    assertEquals(3, failing.calls);
  }

  @Test
  void batchesNotSafeToRepeat_neverRetried_evenWhenTheFailureAppliedNothing() {
    List<Consumer<CacheStore>> never = List.of(
        store -> store.compareAndSetAll(List.of(KEY), List.of(RECORD), List.of(RECORD), new long[] {1_000}),
        store -> store.getAllAndExpire(List.of(KEY), Ttl.EXPIRE_NOW),
        store -> store.putAll(List.of(KEY), List.of(RECORD), 1_000, 2_000));
    assertEachFailsWithoutRepeat(never, RetryingStoreTest::clusterDown, "batch",
        " is not repeated: another master may have applied its part");
  }

  /**
   * Runs each of {@code operations} on a store that fails its first call with {@code failure}: the failure reaches
   * the caller and the store was called once. Messages name the operation as {@code what} and its index.
   */
  private void assertEachFailsWithoutRepeat(List<Consumer<CacheStore>> operations, Supplier<StoreException> failure,
      String what, String notRepeated) {
    for (int i = 0; i < operations.size(); i++) {
      Failing failing = failing(1, failure.get());
      CacheStore store = retrying(failing, Duration.ofSeconds(10));
      Consumer<CacheStore> operation = operations.get(i);
      assertThrows(StoreException.class, () -> operation.accept(store), what + " " + i);
      assertEquals(1, failing.calls, what + " " + i + notRepeated);
    }
  }

  @Test
  void outcomeUnknown_onlyWhenAConnectionBrokeAfterSending() {
    assertTrue(RedisCalls.outcomeUnknown(new JedisConnectionException("java.net.SocketTimeoutException: Read timed out")));
    JedisConnectionException refused = new JedisConnectionException("Failed to connect to 127.0.0.1:1.",
        new ConnectException("Connection refused"));
    assertEquals(false, RedisCalls.outcomeUnknown(refused));
    redis.clients.jedis.exceptions.JedisClusterOperationException exhausted =
        new redis.clients.jedis.exceptions.JedisClusterOperationException("No more cluster attempts left.");
    exhausted.addSuppressed(new JedisConnectionException("Unexpected end of stream."));
    assertTrue(RedisCalls.outcomeUnknown(exhausted), "Jedis keeps its attempts' failures as suppressed ones");
    assertEquals(false, RedisCalls.outcomeUnknown(new JedisDataException("CLUSTERDOWN The cluster is down")));
  }
}
