package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/** Load leases and write sections ({@link Script#LEASE}) of one key or, pipelined per master, of many. */
final class Leases {

  private static final byte[] TWO_KEYS = {'2'};
  private static final byte[] LOAD = {'1'};
  private static final byte[] WRITE = {'0'};

  private Leases() {
  }

  /** The script's keys for encoded key {@code key}: its lease key, then the entry's key (one slot). */
  static List<byte[]> keys(SegmentedKeyLayout layout, byte[] key) {
    return List.of(layout.leaseKey(key), layout.redisKey(key));
  }

  static List<byte[]> args(byte[] owner, long millis, boolean whileAbsent) {
    return List.of(owner, Long.toString(millis).getBytes(StandardCharsets.US_ASCII), whileAbsent ? LOAD : WRITE);
  }

  /** The script's answer as a {@link CacheStore.Lease}. */
  static CacheStore.Lease lease(Object reply) {
    long found = (Long) reply;
    return found == 1 ? CacheStore.Lease.HELD : found == 2 ? CacheStore.Lease.STORED : CacheStore.Lease.TAKEN;
  }

  static List<CacheStore.Lease> leaseAll(NodeFanOut fanOut, SegmentedKeyLayout layout, List<byte[]> keys,
      List<byte[]> args) {
    CacheStore.Lease[] results = new CacheStore.Lease[keys.size()];
    fanOut.forEachKey("lease", keys, new NodeFanOut.KeyWork() {
      @Override
      public void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
        commands.send(Protocol.Command.SCRIPT, SegmentStore.LOAD, Script.LEASE.source);
      }

      @Override
      public void send(MasterPipelines.Commands commands, byte[] redisKey, int index) {
        byte[][] all = new byte[4 + args.size()][];
        all[0] = Script.LEASE.sha;
        all[1] = TWO_KEYS;
        all[2] = layout.leaseKey(keys.get(index));
        all[3] = redisKey;
        for (int i = 0; i < args.size(); i++) {
          all[4 + i] = args.get(i);
        }
        commands.send(Protocol.Command.EVALSHA, all);
      }

      @Override
      public Object alone(UnifiedJedis client, byte[] redisKey, int index) {
        return client.eval(Script.LEASE.source, List.of(layout.leaseKey(keys.get(index)), redisKey), args);
      }

      @Override
      public void read(Object reply, int index) {
        results[index] = lease(reply);
      }
    });
    return Arrays.asList(results);
  }

  static void releaseAll(NodeFanOut fanOut, SegmentedKeyLayout layout, List<byte[]> keys, byte[] owner) {
    fanOut.forEachKey("lease", keys, new NodeFanOut.KeyWork() {
      @Override
      public void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
        commands.send(Protocol.Command.SCRIPT, SegmentStore.LOAD, Script.DELETE_IF_SAME.source);
      }

      @Override
      public void send(MasterPipelines.Commands commands, byte[] redisKey, int index) {
        commands.send(Protocol.Command.EVALSHA, SegmentStore.evalArgs(Script.DELETE_IF_SAME.sha,
            layout.leaseKey(keys.get(index)), List.of(owner)));
      }

      @Override
      public Object alone(UnifiedJedis client, byte[] redisKey, int index) {
        return client.eval(Script.DELETE_IF_SAME.source, List.of(layout.leaseKey(keys.get(index))), List.of(owner));
      }
    });
  }
}
