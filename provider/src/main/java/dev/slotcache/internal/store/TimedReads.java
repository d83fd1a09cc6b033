package dev.slotcache.internal.store;

import java.util.Arrays;
import java.util.List;

/** Records read with their remaining TTL ({@link Script#GET_TIMED}), as near caches fill from them. */
final class TimedReads {

  private TimedReads() {
  }

  /** A {@link Script#GET_TIMED} reply as a {@link CacheStore.Timed}; null when the key was absent. */
  static CacheStore.Timed timed(Object reply) {
    return reply instanceof List<?> pair ? new CacheStore.Timed((byte[]) pair.get(0), (Long) pair.get(1)) : null;
  }

  /** {@link Script#GET_TIMED} per key, pipelined per master. */
  static List<CacheStore.Timed> getAll(NodeFanOut fanOut, List<byte[]> keys) {
    CacheStore.Timed[] results = new CacheStore.Timed[keys.size()];
    fanOut.forEachKey("getAll", keys, new ScriptPerKey(Script.GET_TIMED) {
      @Override
      List<byte[]> args(int index) {
        return List.of();
      }

      @Override
      public void read(Object reply, int index) {
        results[index] = timed(reply);
      }
    });
    return Arrays.asList(results);
  }
}
