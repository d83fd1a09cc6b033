package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Load leases and write sections ({@link Script#LEASE}) of one key or, pipelined per master, of many. */
final class Leases {

  private static final byte[] LOAD = {'1'};
  private static final byte[] WRITE = {'0'};

  private Leases() {
  }

  /** The script's keys for encoded key {@code key}: its lease key, then the entry's key (one slot). */
  static List<byte[]> keys(SegmentedKeyLayout layout, byte[] key) {
    return List.of(layout.leaseKey(key), layout.redisKey(key));
  }

  static List<byte[]> args(byte[] owner, long millis, boolean whileAbsent) {
    return List.of(owner, millis(millis), whileAbsent ? LOAD : WRITE);
  }

  /** A lease's life as the scripts take it. */
  static byte[] millis(long millis) {
    return Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
  }

  /** The script's answer as a {@link CacheStore.Lease}. */
  static CacheStore.Lease lease(Object reply) {
    long found = (Long) reply;
    return found == 1 ? CacheStore.Lease.HELD : found == 2 ? CacheStore.Lease.STORED : CacheStore.Lease.TAKEN;
  }

  static List<CacheStore.Lease> leaseAll(NodeFanOut fanOut, SegmentedKeyLayout layout, List<byte[]> keys,
      List<byte[]> args) {
    CacheStore.Lease[] results = new CacheStore.Lease[keys.size()];
    fanOut.forEachKey("lease", keys, new ScriptPerKey(Script.LEASE) {
      @Override
      List<byte[]> keys(byte[] redisKey, int index) {
        return List.of(layout.leaseKey(keys.get(index)), redisKey);
      }

      @Override
      List<byte[]> args(int index) {
        return args;
      }

      @Override
      public void read(Object reply, int index) {
        results[index] = lease(reply);
      }
    });
    return Arrays.asList(results);
  }

  static boolean renewAll(NodeFanOut fanOut, SegmentedKeyLayout layout, List<byte[]> keys, byte[] owner,
      long millis) {
    boolean[] held = new boolean[1];
    fanOut.forEachKey("lease", keys, new OnLeaseKeys(Script.RENEW, layout, keys,
        List.of(owner, millis(millis))) {
      @Override
      public void read(Object reply, int index) {
        held[0] |= ((Long) reply) == 1L;
      }
    });
    return held[0];
  }

  static void releaseAll(NodeFanOut fanOut, SegmentedKeyLayout layout, List<byte[]> keys, byte[] owner) {
    fanOut.forEachKey("lease", keys, new OnLeaseKeys(Script.DELETE_IF_SAME, layout, keys, List.of(owner)));
  }

  /** A script called on the lease key of each key of a batch, with the same arguments for all. */
  private static class OnLeaseKeys extends ScriptPerKey {
    private final SegmentedKeyLayout layout;
    private final List<byte[]> keys;
    private final List<byte[]> args;

    OnLeaseKeys(Script script, SegmentedKeyLayout layout, List<byte[]> keys, List<byte[]> args) {
      super(script);
      this.layout = layout;
      this.keys = keys;
      this.args = args;
    }

    @Override
    List<byte[]> keys(byte[] redisKey, int index) {
      return List.of(layout.leaseKey(keys.get(index)));
    }

    @Override
    List<byte[]> args(int index) {
      return args;
    }
  }
}
