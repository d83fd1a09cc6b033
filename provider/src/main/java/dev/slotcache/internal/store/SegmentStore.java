package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The {@link CacheStore} in Redis: each operation as the commands that do it in one round trip (scripts by
 * {@code EVALSHA}), batches through a {@link NodeFanOut}, listing and clearing through a {@link SlotListing}, the
 * key transaction through a {@link KeyWatch}. Single commands go through the cluster client, which follows
 * redirections and reconnects; nothing here retries otherwise. Knows Redis and nothing of JCache. Thread-safe.
 */
public class SegmentStore implements CacheStore {

  private final RedisCluster cluster;
  private final SegmentedKeyLayout layout;
  private final NodeFanOut fanOut;
  private final SlotListing listing;
  private final KeyWatch watch;

  public SegmentStore(RedisCluster cluster, SegmentedKeyLayout layout) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.fanOut = new NodeFanOut(cluster, layout);
    this.listing = new SlotListing(cluster, layout, fanOut);
    this.watch = new KeyWatch(cluster, layout.cacheName());
  }

  @Override
  public SegmentedKeyLayout layout() {
    return layout;
  }

  // ---------------------------------------------------------------- single keys

  @Override
  public byte[] get(byte[] key) {
    byte[] redisKey = layout.redisKey(key);
    return call("get", redisKey, client -> client.get(redisKey));
  }

  @Override
  public Timed getTimed(byte[] key) {
    return TimedReads.timed(eval("get", Script.GET_TIMED, layout.redisKey(key)));
  }

  @Override
  public byte[] getAndExpire(byte[] key, long ttl) {
    if (ttl == Ttl.KEEP) {
      return get(key);
    }
    byte[] redisKey = layout.redisKey(key);
    if (ttl == Ttl.EXPIRE_NOW) {
      return call("get", redisKey, client -> client.getDel(redisKey));
    }
    GetExParams params = getExParams(ttl);
    return call("get", redisKey, client -> client.getEx(redisKey, params));
  }

  @Override
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

  @Override
  public boolean exists(byte[] key) {
    byte[] redisKey = layout.redisKey(key);
    return call("exists", redisKey, client -> client.exists(redisKey));
  }

  @Override
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

  @Override
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

  @Override
  public boolean putIfAbsentReleasing(byte[] key, byte[] record, long creationTtl, byte[] leaseOwner) {
    byte[] redisKey = layout.redisKey(key);
    List<byte[]> keys = List.of(redisKey, layout.leaseKey(key));
    List<byte[]> args = List.of(record, Long.toString(creationTtl).getBytes(StandardCharsets.US_ASCII), leaseOwner);
    return (Long) call("putIfAbsent", redisKey,
        client -> RedisCalls.evalsha(client, Script.PUT_IF_ABSENT_RELEASING, keys, args)) == 1L;
  }

  @Override
  public byte[] replace(byte[] key, byte[] record, long updateTtl, boolean returnOld) {
    byte[] redisKey = layout.redisKey(key);
    if (updateTtl == Ttl.EXPIRE_NOW) {
      return remove(key, returnOld);
    }
    SetParams params = setTtl(SetParams.setParams().xx(), updateTtl);
    if (returnOld) {
      return call("replace", redisKey, client -> client.setGet(redisKey, record, params));
    }
    return call("replace", redisKey, client -> client.set(redisKey, record, params)) != null ? PRESENT : null;
  }

  @Override
  public byte[] remove(byte[] key, boolean returnOld) {
    byte[] redisKey = layout.redisKey(key);
    if (returnOld) {
      return call("remove", redisKey, client -> client.getDel(redisKey));
    }
    return call("remove", redisKey, client -> client.del(redisKey)) > 0 ? PRESENT : null;
  }

  @Override
  public boolean compareAndSet(byte[] key, byte[] expectedHeader, byte[] record, long ttl) {
    byte[] redisKey = layout.redisKey(key);
    Object reply = eval("compareAndSet", Script.COMPARE_AND_SET, redisKey,
        casArgs(expectedHeader, record, ttl).toArray(new byte[0][]));
    return ((Long) reply) == 1L;
  }

  @Override
  public Watched watch(byte[] key) {
    return watch.watch(layout.redisKey(key));
  }

  @Override
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

  @Override
  public boolean deleteIfSame(byte[] key, byte[] bytes) {
    byte[] redisKey = layout.redisKey(key);
    return ((Long) eval("deleteIfSame", Script.DELETE_IF_SAME, redisKey, bytes)) == 1L;
  }

  // ---------------------------------------------------------------- batches

  /** One MGET per segment (GET for a segment of one key), one pipeline per master. */
  @Override
  public List<byte[]> getAll(List<byte[]> keys) {
    byte[][] results = new byte[keys.size()][];
    fanOut.forEachSegment("getAll", keys, new NodeFanOut.SegmentWork() {
      @Override
      public void send(MasterPipelines.Commands commands, NodeFanOut.Segment segment) {
        if (segment.size() == 1) {
          commands.send(Protocol.Command.GET, segment.redisKey(0));
        } else {
          commands.send(Protocol.Command.MGET, segment.redisKeys());
        }
      }

      @Override
      public void read(NodeFanOut.Segment segment) {
        if (segment.size() == 1) {
          results[segment.index(0)] = (byte[]) segment.reply(0);
        } else {
          scatter(segment, (List<?>) segment.reply(0), results);
        }
      }

      @Override
      public void alone(UnifiedJedis client, NodeFanOut.Segment segment) {
        scatter(segment, client.mget(segment.redisKeys()), results);
      }
    });
    return Arrays.asList(results);
  }

  private static void scatter(NodeFanOut.Segment segment, List<?> values, byte[][] results) {
    for (int i = 0; i < segment.size(); i++) {
      results[segment.index(i)] = (byte[]) values.get(i);
    }
  }

  @Override
  public Lease lease(byte[] key, byte[] owner, long millis, boolean whileAbsent) {
    List<byte[]> keys = Leases.keys(layout, key);
    List<byte[]> args = Leases.args(owner, millis, whileAbsent);
    return Leases.lease(call("lease", keys.get(0), client -> RedisCalls.evalsha(client, Script.LEASE, keys, args)));
  }

  @Override
  public void releaseLease(byte[] key, byte[] owner) {
    eval("lease", Script.DELETE_IF_SAME, layout.leaseKey(key), owner);
  }

  @Override
  public List<Lease> leaseAll(List<byte[]> keys, byte[] owner, long millis, boolean whileAbsent) {
    return keys.size() == 1 ? List.of(lease(keys.get(0), owner, millis, whileAbsent)) // one command, no pipeline
        : Leases.leaseAll(fanOut, layout, keys, Leases.args(owner, millis, whileAbsent));
  }

  @Override
  public boolean[] putIfAbsentAll(List<byte[]> keys, List<byte[]> records, long[] creationTtls) {
    return Creations.putIfAbsentAll(fanOut, keys, records, creationTtls);
  }

  @Override
  public boolean renewLeases(List<byte[]> keys, byte[] owner, long millis) {
    return keys.size() == 1
        ? (Long) eval("lease", Script.RENEW, layout.leaseKey(keys.get(0)), owner, Leases.millis(millis)) == 1L
        : Leases.renewAll(fanOut, layout, keys, owner, millis);
  }

  @Override
  public void releaseLeases(List<byte[]> keys, byte[] owner) {
    if (keys.size() == 1) {
      releaseLease(keys.get(0), owner);
    } else {
      Leases.releaseAll(fanOut, layout, keys, owner);
    }
  }

  @Override
  public List<Timed> getAllTimed(List<byte[]> keys) {
    return TimedReads.getAll(fanOut, keys);
  }

  /** GETEX (GETDEL for {@link Ttl#EXPIRE_NOW}) per key, pipelined per master. */
  @Override
  public List<byte[]> getAllAndExpire(List<byte[]> keys, long ttl) {
    if (ttl == Ttl.KEEP) {
      return getAll(keys);
    }
    byte[][] results = new byte[keys.size()][];
    GetExParams params = ttl == Ttl.EXPIRE_NOW ? null : getExParams(ttl);
    fanOut.forEachKey("getAll", keys, new NodeFanOut.KeyWork() {
      @Override
      public void send(MasterPipelines.Commands commands, byte[] redisKey, int index) {
        if (params == null) {
          commands.send(Protocol.Command.GETDEL, redisKey);
        } else {
          commands.send(new CommandArguments(Protocol.Command.GETEX).add(redisKey).addParams(params));
        }
      }

      @Override
      public Object alone(UnifiedJedis client, byte[] redisKey, int index) {
        return params == null ? client.getDel(redisKey) : client.getEx(redisKey, params);
      }

      @Override
      public void read(Object reply, int index) {
        results[index] = (byte[]) reply;
      }
    });
    return Arrays.asList(results);
  }

  @Override
  public boolean[] compareAndSetAll(List<byte[]> keys, List<byte[]> expectedHeaders, List<byte[]> records,
      long[] ttls) {
    boolean[] applied = new boolean[keys.size()];
    fanOut.forEachKey("invokeAll", keys, new ScriptPerKey(Script.COMPARE_AND_SET) {
      @Override
      List<byte[]> args(int index) {
        return casArgs(expectedHeaders.get(index), records.get(index), ttls[index]);
      }

      @Override
      public void read(Object reply, int index) {
        applied[index] = ((Long) reply) == 1L;
      }
    });
    return applied;
  }

  /** A pipelined SET per key for a {@linkplain Ttl#isPlainOverwrite plain overwrite}, else the put script per key. */
  @Override
  public void putAll(List<byte[]> keys, List<byte[]> records, long creationTtl, long updateTtl) {
    SetParams plain = plainSet(creationTtl, updateTtl);
    byte[][] scriptArgs = {null, mode(creationTtl), mode(updateTtl), flag(false)};
    fanOut.forEachKey("putAll", keys, new NodeFanOut.KeyWork() {
      @Override
      public void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
        if (plain == null) {
          commands.send(Protocol.Command.SCRIPT, LOAD, Script.PUT.source);
        }
      }

      @Override
      public void send(MasterPipelines.Commands commands, byte[] redisKey, int index) {
        byte[] record = records.get(index);
        if (plain != null) {
          commands.send(new CommandArguments(Protocol.Command.SET).add(redisKey).add(record).addParams(plain));
        } else {
          commands.send(Protocol.Command.EVALSHA, evalArgs(Script.PUT.sha, redisKey, args(scriptArgs, record)));
        }
      }

      @Override
      public Object alone(UnifiedJedis client, byte[] redisKey, int index) {
        byte[] record = records.get(index);
        return plain != null ? client.set(redisKey, record, plain)
            : client.eval(Script.PUT.source, List.of(redisKey), args(scriptArgs, record));
      }
    });
  }

  /** One DEL per segment, one pipeline per master. */
  @Override
  public long removeAll(List<byte[]> keys) {
    long[] removed = new long[1];
    fanOut.forEachSegment("removeAll", keys, new NodeFanOut.SegmentWork() {
      @Override
      public void send(MasterPipelines.Commands commands, NodeFanOut.Segment segment) {
        commands.send(Protocol.Command.DEL, segment.redisKeys());
      }

      @Override
      public void read(NodeFanOut.Segment segment) {
        removed[0] += (Long) segment.reply(0);
      }

      @Override
      public void alone(UnifiedJedis client, NodeFanOut.Segment segment) {
        removed[0] += client.del(segment.redisKeys());
      }
    });
    return removed[0];
  }

  static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ONE_KEY = {'1'};

  /** {@code EVALSHA sha 1 key args…} as arguments. */
  static byte[][] evalArgs(byte[] sha, byte[] redisKey, List<byte[]> args) {
    byte[][] all = new byte[3 + args.size()][];
    all[0] = sha;
    all[1] = ONE_KEY;
    all[2] = redisKey;
    for (int i = 0; i < args.size(); i++) {
      all[3 + i] = args.get(i);
    }
    return all;
  }

  @Override
  public List<List<byte[]>> keysOfSegments(int from, int count) {
    return listing.keysOfSegments(from, count);
  }

  @Override
  public void clear() {
    listing.clear();
  }

  // ---------------------------------------------------------------- plumbing

  private static SetParams plainSet(long creationTtl, long updateTtl) {
    if (!Ttl.isPlainOverwrite(creationTtl, updateTtl)) {
      return null;
    }
    return creationTtl == Ttl.PERSIST && updateTtl == Ttl.KEEP ? SetParams.setParams().keepTtl()
        : setTtl(SetParams.setParams(), creationTtl);
  }

  /** {@code PX} for a TTL, {@code KEEPTTL} for {@link Ttl#KEEP}, nothing for {@link Ttl#PERSIST}. */
  static SetParams setTtl(SetParams params, long ttl) {
    if (ttl > 0) {
      params.px(ttl);
    } else if (ttl == Ttl.KEEP) {
      params.keepTtl();
    }
    return params;
  }

  private static GetExParams getExParams(long ttl) {
    return ttl == Ttl.PERSIST ? GetExParams.getExParams().persist() : GetExParams.getExParams().px(ttl);
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
    return Long.toString(ttl).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] flag(boolean value) {
    return value ? new byte[] {'1'} : new byte[] {'0'};
  }

  private static List<byte[]> args(byte[][] template, byte[] first) {
    byte[][] args = template.clone();
    args[0] = first;
    return Arrays.asList(args);
  }

  private static List<byte[]> casArgs(byte[] expectedHeader, byte[] record, long ttl) {
    return List.of(expectedHeader == null ? PRESENT : expectedHeader, record == null ? PRESENT : record, mode(ttl));
  }

  private <T> T call(String operation, byte[] redisKey, Function<UnifiedJedis, T> command) {
    UnifiedJedis client = cluster.connected(layout.cacheName(), operation).client;
    return RedisCalls.call(() -> command.apply(client), e -> RedisCalls.failure(layout.cacheName(), operation,
        cluster.ownerOf(JedisClusterCRC16.getSlot(redisKey)), e));
  }

  private Object eval(String operation, Script script, byte[] redisKey, byte[]... args) {
    List<byte[]> keys = List.of(redisKey);
    List<byte[]> argList = Arrays.asList(args);
    return call(operation, redisKey, client -> RedisCalls.evalsha(client, script, keys, argList));
  }
}
