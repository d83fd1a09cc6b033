package dev.slotcache.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * The byte-level store of one cache: encoded keys in, stored records out, laid out by a
 * {@link SegmentedKeyLayout}. Every single-key method is one network round trip (scripts go by
 * {@code EVALSHA}); batch methods send one pipeline per master, masters in parallel.
 *
 * <p>Knows Redis and nothing of JCache. Every failure leaves as a {@link StoreException} naming the cache,
 * the operation and the node. Thread-safe.
 */
public class SegmentStore {

  /** Returned by write methods asked not to return the old value, when the key was present. */
  public static final byte[] PRESENT = new byte[0];

  private final RedisCluster cluster;
  private final SegmentedKeyLayout layout;

  public SegmentStore(RedisCluster cluster, SegmentedKeyLayout layout) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.layout = Objects.requireNonNull(layout, "layout");
  }

  public SegmentedKeyLayout layout() {
    return layout;
  }

  // ---------------------------------------------------------------- single keys

  /** GET. */
  public byte[] get(byte[] key) {
    byte[] redisKey = layout.redisKey(key);
    return call("get", redisKey, client -> client.get(redisKey));
  }

  /**
   * GET that also sets the TTL ({@code GETEX}); {@link Ttl#EXPIRE_NOW} reads and removes, {@link Ttl#KEEP} only
   * reads. Every {@link Ttl} value means what it says here, so no caller has to guard.
   */
  public byte[] getAndExpire(byte[] key, long ttl) {
    if (ttl == Ttl.KEEP) {
      return get(key);
    }
    byte[] redisKey = layout.redisKey(key);
    if (ttl == Ttl.EXPIRE_NOW) {
      return call("get", redisKey, client -> client.getDel(redisKey));
    }
    GetExParams params = ttl == Ttl.PERSIST ? GetExParams.getExParams().persist()
        : GetExParams.getExParams().px(ttl);
    return call("get", redisKey, client -> client.getEx(redisKey, params));
  }

  /** Sets the TTL of an existing key; {@link Ttl#KEEP} does nothing. */
  public void expire(byte[] key, long ttl) {
    if (ttl == Ttl.KEEP) {
      return;
    }
    byte[] redisKey = layout.redisKey(key);
    call("expire", redisKey, client -> {
      if (ttl == Ttl.EXPIRE_NOW) {
        return client.del(redisKey);
      }
      return ttl == Ttl.PERSIST ? client.persist(redisKey) : client.pexpire(redisKey, ttl);
    });
  }

  public boolean exists(byte[] key) {
    byte[] redisKey = layout.redisKey(key);
    return call("exists", redisKey, client -> client.exists(redisKey));
  }

  /**
   * Writes a record whatever is there. The TTL is {@code creationTtl} when the key was absent and
   * {@code updateTtl} when present. Returns the old record when {@code returnOld}, else {@link #PRESENT} or
   * null when it is known whether the key existed, and null otherwise.
   */
  public byte[] put(byte[] key, byte[] record, long creationTtl, long updateTtl, boolean returnOld) {
    byte[] redisKey = layout.redisKey(key);
    SetParams plain = plainSet(creationTtl, updateTtl);
    if (plain != null) {
      if (returnOld) {
        return call("put", redisKey, client -> client.setGet(redisKey, record, plain));
      }
      call("put", redisKey, client -> client.set(redisKey, record, plain));
      return null;
    }
    Object reply = eval("put", Script.PUT, redisKey, record, mode(creationTtl), mode(updateTtl), flag(returnOld));
    if (returnOld) {
      return (byte[]) reply;
    }
    return ((Long) reply) == 1L ? PRESENT : null;
  }

  /** SET NX: true when the key was absent and is now written (or, with {@link Ttl#EXPIRE_NOW}, was absent). */
  public boolean putIfAbsent(byte[] key, byte[] record, long creationTtl) {
    byte[] redisKey = layout.redisKey(key);
    if (creationTtl == Ttl.EXPIRE_NOW) {
      return !call("putIfAbsent", redisKey, client -> client.exists(redisKey));
    }
    SetParams params = SetParams.setParams().nx();
    if (creationTtl > 0) {
      params.px(creationTtl);
    }
    return call("putIfAbsent", redisKey, client -> client.set(redisKey, record, params)) != null;
  }

  /**
   * SET XX: replaces only a present key. Returns the old record when {@code returnOld}, else {@link #PRESENT};
   * null when the key was absent. {@link Ttl#EXPIRE_NOW} removes the present entry instead.
   */
  public byte[] replace(byte[] key, byte[] record, long updateTtl, boolean returnOld) {
    byte[] redisKey = layout.redisKey(key);
    if (updateTtl == Ttl.EXPIRE_NOW) {
      return remove(key, returnOld);
    }
    SetParams params = SetParams.setParams().xx();
    ttlParam(params, updateTtl);
    if (returnOld) {
      return call("replace", redisKey, client -> client.setGet(redisKey, record, params));
    }
    return call("replace", redisKey, client -> client.set(redisKey, record, params)) != null ? PRESENT : null;
  }

  /** DEL / GETDEL. Returns the old record when {@code returnOld}, else {@link #PRESENT}; null when absent. */
  public byte[] remove(byte[] key, boolean returnOld) {
    byte[] redisKey = layout.redisKey(key);
    if (returnOld) {
      return call("remove", redisKey, client -> client.getDel(redisKey));
    }
    return call("remove", redisKey, client -> client.del(redisKey)) > 0 ? PRESENT : null;
  }

  /**
   * Writes {@code record} (or deletes, when null) only if the stored header still equals
   * {@code expectedHeader} (null: only if the key is absent). True when applied.
   */
  public boolean compareAndSet(byte[] key, byte[] expectedHeader, byte[] record, long ttl) {
    byte[] redisKey = layout.redisKey(key);
    Object reply = eval("compareAndSet", Script.COMPARE_AND_SET, redisKey,
        casArgs(expectedHeader, record, ttl).toArray(new byte[0][]));
    return ((Long) reply) == 1L;
  }

  /**
   * Starts an optimistic transaction on one key: {@code WATCH} and {@code GET} in one round trip on a
   * connection to the key's master, which the returned handle keeps until closed. Follows a moved slot.
   */
  public Watched watch(byte[] key) {
    byte[] redisKey = layout.redisKey(key);
    int slot = redis.clients.jedis.util.JedisClusterCRC16.getSlot(redisKey);
    RedisCluster.Connected connected = connected("invoke");
    JedisException last = null;
    for (int attempt = 0; attempt < cluster.endpoint().maxAttempts(); attempt++) {
      Connection connection = null;
      try {
        connection = connected.provider.getConnectionFromSlot(slot);
        Pipeline pipeline = new Pipeline(connection);
        // A handle closed without committing leaves its WATCH on the pooled connection: clear it first.
        pipeline.sendCommand(Protocol.Command.UNWATCH, NO_ARGS);
        Response<Object> watched = pipeline.sendCommand(Protocol.Command.WATCH, redisKey);
        Response<byte[]> value = pipeline.get(redisKey);
        pipeline.sync();
        watched.get();
        Watched handle = new WatchedKey(connection, redisKey, value.get());
        connection = null;
        return handle;
      } catch (redis.clients.jedis.exceptions.JedisRedirectionException
          | redis.clients.jedis.exceptions.JedisConnectionException e) {
        last = e;
        connected.provider.renewSlotCache();
      } catch (JedisException e) {
        throw failure("invoke", cluster.ownerOf(slot), e);
      } finally {
        release(connection);
      }
    }
    throw failure("invoke", cluster.ownerOf(slot), last);
  }

  private static final byte[][] NO_ARGS = new byte[0][];

  /**
   * A key under {@code WATCH} with the value read, on its own connection. {@link #commit} writes only if nobody
   * changed the key since; {@link #close} returns the connection. Confined to one thread.
   */
  public interface Watched extends AutoCloseable {
    /** The stored record when the key was watched, or null. */
    byte[] value();

    /**
     * {@code MULTI}, SET (or DEL when {@code record} is null), {@code EXEC}: true when applied, false when the
     * key changed since it was watched. A lost reply raises a {@link StoreException} whose outcome is unknown.
     */
    boolean commit(byte[] record, long ttl);

    @Override
    void close();
  }

  private final class WatchedKey implements Watched {
    private final Connection connection;
    private final byte[] redisKey;
    private final byte[] value;

    WatchedKey(Connection connection, byte[] redisKey, byte[] value) {
      this.connection = connection;
      this.redisKey = redisKey;
      this.value = value;
    }

    @Override
    public byte[] value() {
      return value;
    }

    @Override
    public boolean commit(byte[] record, long ttl) {
      if (record != null && ttl == Ttl.EXPIRE_NOW) {
        if (value == null) {
          return true; // created and expired at once: nothing to store
        }
        record = null;
      }
      try {
        Pipeline pipeline = new Pipeline(connection);
        pipeline.sendCommand(Protocol.Command.MULTI, NO_ARGS);
        Response<?> queued;
        if (record == null) {
          queued = pipeline.del(redisKey);
        } else {
          SetParams params = SetParams.setParams();
          ttlParam(params, ttl);
          queued = pipeline.set(redisKey, record, params);
        }
        Response<Object> exec = pipeline.sendCommand(Protocol.Command.EXEC, NO_ARGS);
        pipeline.sync();
        try {
          return exec.get() != null;
        } catch (JedisException e) {
          throw reasonOfAbort(queued, e);
        }
      } catch (JedisException e) {
        throw failure("invoke", connection.getHostAndPort().toString(), e);
      }
    }

    @Override
    public void close() {
      release(connection);
    }
  }

  /**
   * Returns a connection to its pool. Returning a broken one makes the pool open a replacement, which fails
   * while its node is down ("Could not return the broken resource"): the broken connection is gone either way,
   * so that is no failure of the operation.
   */
  private static void release(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (JedisException e) {
      // see above: nothing is lost, and the caller's own outcome is already decided
    }
  }

  /**
   * EXECABORT says only that a transaction was discarded; the queued command's error says why (MOVED,
   * CLUSTERDOWN or READONLY during a failover, OOM, ...). Nothing was applied either way.
   */
  private static JedisException reasonOfAbort(Response<?> queued, JedisException abort) {
    try {
      queued.get();
    } catch (JedisException queuedError) {
      return queuedError;
    } catch (RuntimeException notAnError) {
      // The command was queued ("QUEUED" does not build as its reply type): the abort itself is the reason.
    }
    return abort;
  }

  /** Outcome of {@link #replaceIfEqual}. */
  public record Conditional(Outcome outcome, byte[] current) {
  }

  /** What a conditional write found. */
  public enum Outcome { ABSENT, APPLIED, MISMATCH }

  /**
   * Replaces (or deletes, when {@code record} is null) only while the stored payload equals
   * {@code expectedPayload} byte for byte; on a mismatch applies {@code mismatchTtl} (an access TTL, or
   * {@link Ttl#KEEP}) and returns the current record so the caller can compare by {@code equals}.
   */
  public Conditional replaceIfEqual(byte[] key, byte[] expectedPayload, byte[] record, long ttl, long mismatchTtl) {
    byte[] redisKey = layout.redisKey(key);
    List<?> reply = (List<?>) eval("replace", Script.REPLACE_IF_EQUAL, redisKey, expectedPayload,
        record == null ? PRESENT : record, mode(ttl), mode(mismatchTtl));
    long code = (Long) reply.get(0);
    if (code == 0) {
      return new Conditional(Outcome.ABSENT, null);
    }
    return code == 1 ? new Conditional(Outcome.APPLIED, null) : new Conditional(Outcome.MISMATCH, (byte[]) reply.get(1));
  }

  /** Deletes the key only while it holds exactly {@code bytes}: removes undecodable data without racing a writer. */
  public boolean deleteIfSame(byte[] key, byte[] bytes) {
    byte[] redisKey = layout.redisKey(key);
    return ((Long) eval("deleteIfSame", Script.DELETE_IF_SAME, redisKey, bytes)) == 1L;
  }

  // ---------------------------------------------------------------- batches

  /** GET of many keys: one MGET per segment, one pipeline per master, masters in parallel. Same order as keys. */
  public List<byte[]> getAll(List<byte[]> keys) {
    byte[][] results = new byte[keys.size()][];
    forEachNode("getAll", keys, (pipeline, group) -> {
      List<Response<List<byte[]>>> replies = new ArrayList<>();
      for (SegmentBatch batch : group) {
        replies.add(pipeline.mget(batch.redisKeys()));
      }
      pipeline.sync();
      for (int i = 0; i < group.size(); i++) {
        group.get(i).scatter(replies.get(i).get(), results);
      }
    }, (client, batch) -> batch.scatter(client.mget(batch.redisKeys()), results));
    return Arrays.asList(results);
  }

  /**
   * GETEX (GETDEL for {@link Ttl#EXPIRE_NOW}, plain {@link #getAll} for {@link Ttl#KEEP}) of many keys, pipelined
   * per master. Same order as keys.
   */
  public List<byte[]> getAllAndExpire(List<byte[]> keys, long ttl) {
    if (ttl == Ttl.KEEP) {
      return getAll(keys);
    }
    byte[][] results = new byte[keys.size()][];
    GetExParams params = ttl == Ttl.PERSIST ? GetExParams.getExParams().persist()
        : ttl > 0 ? GetExParams.getExParams().px(ttl) : null;
    forEachNode("getAll", keys, (pipeline, group) -> {
      List<Response<byte[]>> replies = new ArrayList<>();
      for (SegmentBatch batch : group) {
        for (byte[] redisKey : batch.redisKeys) {
          replies.add(params == null ? pipeline.getDel(redisKey) : pipeline.getEx(redisKey, params));
        }
      }
      pipeline.sync();
      int at = 0;
      for (SegmentBatch batch : group) {
        for (int i = 0; i < batch.size(); i++) {
          results[batch.indexes[i]] = replies.get(at++).get();
        }
      }
    }, (client, batch) -> {
      for (int i = 0; i < batch.size(); i++) {
        byte[] redisKey = batch.redisKeys[i];
        results[batch.indexes[i]] = params == null ? client.getDel(redisKey) : client.getEx(redisKey, params);
      }
    });
    return Arrays.asList(results);
  }

  /**
   * {@link #compareAndSet} of many keys, pipelined per master. {@code expectedHeaders} and {@code records}
   * entries may be null (absent / delete). Returns which were applied, in the order of keys.
   */
  public boolean[] compareAndSetAll(List<byte[]> keys, List<byte[]> expectedHeaders, List<byte[]> records,
      long[] ttls) {
    boolean[] applied = new boolean[keys.size()];
    forEachNode("invokeAll", keys, (pipeline, group) -> {
      pipeline.scriptLoad(Script.COMPARE_AND_SET.source, group.get(0).redisKeys[0]);
      List<Response<Object>> replies = new ArrayList<>();
      for (SegmentBatch batch : group) {
        for (int i = 0; i < batch.size(); i++) {
          int index = batch.indexes[i];
          replies.add(pipeline.evalsha(Script.COMPARE_AND_SET.sha, List.of(batch.redisKeys[i]),
              casArgs(expectedHeaders.get(index), records.get(index), ttls[index])));
        }
      }
      pipeline.sync();
      int at = 0;
      for (SegmentBatch batch : group) {
        for (int i = 0; i < batch.size(); i++) {
          applied[batch.indexes[i]] = ((Long) replies.get(at++).get()) == 1L;
        }
      }
    }, (client, batch) -> {
      for (int i = 0; i < batch.size(); i++) {
        int index = batch.indexes[i];
        Object reply = client.eval(Script.COMPARE_AND_SET.source, List.of(batch.redisKeys[i]),
            casArgs(expectedHeaders.get(index), records.get(index), ttls[index]));
        applied[index] = ((Long) reply) == 1L;
      }
    });
    return applied;
  }

  private static List<byte[]> casArgs(byte[] expectedHeader, byte[] record, long ttl) {
    return List.of(expectedHeader == null ? PRESENT : expectedHeader, record == null ? PRESENT : record, mode(ttl));
  }

  /**
   * Writes many records. With equal creation and update TTLs (or keep/none) a pipelined SET per key, else the
   * put script per key; one pipeline per master, masters in parallel.
   */
  public void putAll(List<byte[]> keys, List<byte[]> records, long creationTtl, long updateTtl) {
    SetParams plain = plainSet(creationTtl, updateTtl);
    byte[][] scriptArgs = {null, mode(creationTtl), mode(updateTtl), flag(false)};
    forEachNode("putAll", keys, (pipeline, group) -> {
      if (plain == null) {
        pipeline.scriptLoad(Script.PUT.source, group.get(0).redisKeys[0]);
      }
      List<Response<?>> replies = new ArrayList<>();
      for (SegmentBatch batch : group) {
        for (int i = 0; i < batch.size(); i++) {
          byte[] record = records.get(batch.indexes[i]);
          replies.add(plain != null ? pipeline.set(batch.redisKeys[i], record, plain)
              : pipeline.evalsha(Script.PUT.sha, List.of(batch.redisKeys[i]), args(scriptArgs, record)));
        }
      }
      pipeline.sync();
      replies.forEach(Response::get);
    }, (client, batch) -> {
      for (int i = 0; i < batch.size(); i++) {
        byte[] record = records.get(batch.indexes[i]);
        byte[] redisKey = batch.redisKeys[i];
        if (plain != null) {
          client.set(redisKey, record, plain);
        } else {
          client.eval(Script.PUT.source, List.of(redisKey), args(scriptArgs, record));
        }
      }
    });
  }

  /** DEL of many keys: one DEL per segment, one pipeline per master. Returns how many existed. */
  public long removeAll(List<byte[]> keys) {
    long[] removed = new long[1];
    forEachNode("removeAll", keys, (pipeline, group) -> {
      List<Response<Long>> replies = new ArrayList<>();
      for (SegmentBatch batch : group) {
        replies.add(pipeline.del(batch.redisKeys()));
      }
      pipeline.sync();
      long sum = 0;
      for (Response<Long> reply : replies) {
        sum += reply.get();
      }
      synchronized (removed) {
        removed[0] += sum;
      }
    }, (client, batch) -> {
      long count = client.del(batch.redisKeys());
      synchronized (removed) {
        removed[0] += count;
      }
    });
    return removed[0];
  }

  /**
   * The encoded keys of segments {@code from} to {@code from + count - 1}, one list per segment, read with
   * {@code CLUSTER COUNTKEYSINSLOT} / {@code GETKEYSINSLOT} on each slot's master (pipelined per master,
   * masters in parallel) and filtered to this cache: a slot may hold other caches' keys too.
   */
  public List<List<byte[]>> keysOfSegments(int from, int count) {
    List<List<byte[]>> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(List.of());
    }
    forEachSegmentNode("iterate", from, count, (pipeline, segments) -> {
      Map<Integer, List<byte[]>> keys = listKeys(pipeline, segments);
      synchronized (result) {
        keys.forEach((segment, list) -> result.set(segment - from, list));
      }
    });
    return result;
  }

  /** Deletes every entry of this cache: keys listed per slot, pipelined per master, masters in parallel. */
  public void clear() {
    // A stale slot map would send the listing to a node that no longer owns the slot, which answers "0 keys".
    connected("clear").provider.renewSlotCache();
    forEachSegmentNode("clear", 0, layout.segments(), (pipeline, segments) -> {
      List<Response<Long>> replies = new ArrayList<>();
      listKeys(pipeline, segments).forEach((segment, keys) -> {
        // Multi-key commands must stay within one slot, hence one segment.
        for (int from = 0; from < keys.size(); from += 512) {
          List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + 512));
          byte[][] redisKeys = new byte[chunk.size()][];
          for (int i = 0; i < redisKeys.length; i++) {
            redisKeys[i] = layout.redisKey(segment, chunk.get(i));
          }
          replies.add(pipeline.unlink(redisKeys));
        }
      });
      pipeline.sync();
      replies.forEach(Response::get);
    });
  }

  /** Two pipelined rounds on one master: count the keys of each slot, then fetch them; ours only. */
  private Map<Integer, List<byte[]>> listKeys(Pipeline pipeline, List<Integer> segments) {
    List<Response<Object>> counts = new ArrayList<>(segments.size());
    for (int segment : segments) {
      counts.add(pipeline.sendCommand(Protocol.Command.CLUSTER, "COUNTKEYSINSLOT",
          Integer.toString(layout.slot(segment))));
    }
    pipeline.sync();
    Map<Integer, Response<Object>> listings = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      long count = (Long) counts.get(i).get();
      if (count > 0) {
        int segment = segments.get(i);
        listings.put(segment, pipeline.sendCommand(Protocol.Command.CLUSTER, "GETKEYSINSLOT",
            Integer.toString(layout.slot(segment)), Long.toString(count)));
      }
    }
    pipeline.sync();
    Map<Integer, List<byte[]>> keys = new LinkedHashMap<>();
    for (Map.Entry<Integer, Response<Object>> listing : listings.entrySet()) {
      int segment = listing.getKey();
      List<byte[]> ours = new ArrayList<>();
      for (Object redisKey : (List<?>) listing.getValue().get()) {
        byte[] key = layout.encodedKey(segment, (byte[]) redisKey);
        if (key != null) {
          ours.add(key);
        }
      }
      keys.put(segment, ours);
    }
    return keys;
  }

  // ---------------------------------------------------------------- plumbing

  private static SetParams plainSet(long creationTtl, long updateTtl) {
    if (creationTtl == updateTtl && creationTtl > 0) {
      return SetParams.setParams().px(creationTtl);
    }
    if (updateTtl == Ttl.KEEP && creationTtl == Ttl.PERSIST) {
      return SetParams.setParams().keepTtl();
    }
    if (updateTtl == Ttl.PERSIST && creationTtl == Ttl.PERSIST) {
      return SetParams.setParams();
    }
    return null;
  }

  private static void ttlParam(SetParams params, long ttl) {
    if (ttl > 0) {
      params.px(ttl);
    } else if (ttl == Ttl.KEEP) {
      params.keepTtl();
    }
  }

  private static final byte[] MODE_KEEP = {'k'};
  private static final byte[] MODE_PERSIST = {'p'};
  private static final byte[] MODE_DELETE = {'d'};

  /** A TTL as the scripts take it (see {@link Script}). */
  static byte[] mode(long ttl) {
    if (ttl == Ttl.KEEP) {
      return MODE_KEEP;
    }
    if (ttl == Ttl.PERSIST) {
      return MODE_PERSIST;
    }
    if (ttl == Ttl.EXPIRE_NOW) {
      return MODE_DELETE;
    }
    return Long.toString(ttl).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static byte[] flag(boolean value) {
    return value ? new byte[] {'1'} : new byte[] {'0'};
  }

  private static List<byte[]> args(byte[][] template, byte[] first) {
    byte[][] args = template.clone();
    args[0] = first;
    return Arrays.asList(args);
  }

  private <T> T call(String operation, byte[] redisKey, Function<UnifiedJedis, T> command) {
    UnifiedJedis client = connected(operation).client;
    try {
      return command.apply(client);
    } catch (JedisException e) {
      throw failure(operation, cluster.ownerOf(redis.clients.jedis.util.JedisClusterCRC16.getSlot(redisKey)), e);
    }
  }

  private Object eval(String operation, Script script, byte[] redisKey, byte[]... args) {
    List<byte[]> keys = List.of(redisKey);
    List<byte[]> argList = Arrays.asList(args);
    return call(operation, redisKey, client -> {
      try {
        return client.evalsha(script.sha, keys, argList);
      } catch (JedisNoScriptException e) {
        return client.eval(script.source, keys, argList);
      }
    });
  }

  /** The cluster's connections; connecting on first use, failing with this cache and operation named. */
  private RedisCluster.Connected connected(String operation) {
    return cluster.connected(layout.cacheName(), operation);
  }

  private StoreException failure(String operation, String node, Exception e) {
    return new StoreException("cache '" + layout.cacheName() + "': " + operation + " on " + node + " failed: "
        + e.getClass().getSimpleName() + ": " + e.getMessage(), e,
        e instanceof redis.clients.jedis.exceptions.JedisConnectionException);
  }

  /** The keys of one segment inside a batch, with their positions in the caller's list. */
  static final class SegmentBatch {
    final int[] indexes;
    final byte[][] redisKeys;

    SegmentBatch(int[] indexes, byte[][] redisKeys) {
      this.indexes = indexes;
      this.redisKeys = redisKeys;
    }

    int size() {
      return indexes.length;
    }

    byte[][] redisKeys() {
      return redisKeys;
    }

    void scatter(List<byte[]> values, byte[][] results) {
      for (int i = 0; i < indexes.length; i++) {
        results[indexes[i]] = values.get(i);
      }
    }
  }

  interface NodeWork {
    void run(Pipeline pipeline, List<SegmentBatch> group);
  }

  interface SegmentFallback {
    void run(UnifiedJedis client, SegmentBatch batch);
  }

  /**
   * Groups keys by segment and segments by owning master, then runs one pipeline per master, all but one on
   * the batch pool and the last on the calling thread. A master whose pipeline fails (moved slots, a
   * failover, a dropped connection) has its segments redone with single commands, which follow redirections
   * and retry; only if those fail too does the batch fail.
   */
  private void forEachNode(String operation, List<byte[]> keys, NodeWork work, SegmentFallback fallback) {
    if (keys.isEmpty()) {
      return;
    }
    RedisCluster.Connected connected = connected(operation);
    Map<HostAndPort, List<SegmentBatch>> byNode = group(connected, keys);
    inParallel(operation, byNode, node -> runOnNode(connected, operation, node, work, fallback));
  }

  interface SegmentNodeWork {
    void run(Pipeline pipeline, List<Integer> segments);
  }

  /** Runs {@code work} once per master with the segments of {@code from..from+count-1} it owns. */
  private void forEachSegmentNode(String operation, int from, int count, SegmentNodeWork work) {
    RedisCluster.Connected connected = connected(operation);
    Map<HostAndPort, List<Integer>> byNode = new LinkedHashMap<>();
    for (int segment = from; segment < from + count; segment++) {
      byNode.computeIfAbsent(ownerOf(connected, layout.slot(segment)), k -> new ArrayList<>()).add(segment);
    }
    inParallel(operation, byNode, node -> {
      try (Connection connection = connected.provider.getConnection(node.getKey())) {
        work.run(new Pipeline(connection), node.getValue());
      } catch (JedisException e) {
        connected.provider.renewSlotCache();
        throw failure(operation, node.getKey().toString(), e);
      }
    });
  }

  /**
   * Runs one task per master: all but the last on the batch pool, the last on the calling thread, then
   * waits (bounded by the retry time) for the others.
   */
  private <T> void inParallel(String operation, Map<HostAndPort, T> byNode,
      java.util.function.Consumer<Map.Entry<HostAndPort, T>> task) {
    List<Map.Entry<HostAndPort, T>> nodes = new ArrayList<>(byNode.entrySet());
    if (nodes.isEmpty()) {
      return;
    }
    List<Future<?>> futures = new ArrayList<>(nodes.size() - 1);
    for (int i = 0; i < nodes.size() - 1; i++) {
      Map.Entry<HostAndPort, T> node = nodes.get(i);
      futures.add(cluster.connected().batches.submit(() -> task.accept(node)));
    }
    task.accept(nodes.get(nodes.size() - 1));
    long deadline = System.nanoTime() + cluster.endpoint().maxRetryTime().toNanos()
        + cluster.endpoint().timeout().toNanos();
    for (int i = 0; i < futures.size(); i++) {
      String node = nodes.get(i).getKey().toString();
      try {
        futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof StoreException se ? se
            : failure(operation, node, cause instanceof Exception ex ? ex : new RuntimeException(cause));
      } catch (TimeoutException e) {
        futures.forEach(f -> f.cancel(true));
        throw failure(operation, node, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure(operation, node, e);
      }
    }
  }

  private HostAndPort ownerOf(RedisCluster.Connected connected, int slot) {
    HostAndPort owner = connected.provider.getNode(slot);
    if (owner == null) {
      connected.provider.renewSlotCache();
      owner = connected.provider.getNode(slot);
      if (owner == null) {
        throw new StoreException("cache '" + layout.cacheName() + "': no node serves slot " + slot
            + " (is the cluster down or being resharded?)");
      }
    }
    return owner;
  }

  private void runOnNode(RedisCluster.Connected connected, String operation,
      Map.Entry<HostAndPort, List<SegmentBatch>> node, NodeWork work, SegmentFallback fallback) {
    try (Connection connection = connected.provider.getConnection(node.getKey())) {
      work.run(new Pipeline(connection), node.getValue());
      return;
    } catch (JedisException e) {
      connected.provider.renewSlotCache();
    }
    for (SegmentBatch batch : node.getValue()) {
      try {
        fallback.run(connected.client, batch);
      } catch (JedisException e) {
        throw failure(operation, cluster.ownerOf(redis.clients.jedis.util.JedisClusterCRC16.getSlot(batch.redisKeys[0])), e);
      }
    }
  }

  private Map<HostAndPort, List<SegmentBatch>> group(RedisCluster.Connected connected, List<byte[]> keys) {
    int segments = layout.segments();
    int[] counts = new int[segments];
    int[] segmentOf = new int[keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      int segment = layout.segmentOf(keys.get(i));
      segmentOf[i] = segment;
      counts[segment]++;
    }
    int[][] indexes = new int[segments][];
    byte[][][] redisKeys = new byte[segments][][];
    int[] filled = new int[segments];
    for (int i = 0; i < keys.size(); i++) {
      int segment = segmentOf[i];
      if (indexes[segment] == null) {
        indexes[segment] = new int[counts[segment]];
        redisKeys[segment] = new byte[counts[segment]][];
      }
      int at = filled[segment]++;
      indexes[segment][at] = i;
      redisKeys[segment][at] = layout.redisKey(segment, keys.get(i));
    }
    Map<HostAndPort, List<SegmentBatch>> byNode = new LinkedHashMap<>();
    for (int segment = 0; segment < segments; segment++) {
      if (indexes[segment] != null) {
        HostAndPort owner = ownerOf(connected, layout.slot(segment));
        byNode.computeIfAbsent(owner, k -> new ArrayList<>()).add(new SegmentBatch(indexes[segment], redisKeys[segment]));
      }
    }
    return byNode;
  }
}
