package dev.slotcache.internal.store;

import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

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
    fanOut.forEachKey("getAll", keys, new NodeFanOut.KeyWork() {
      @Override
      public void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
        commands.send(Protocol.Command.SCRIPT, SegmentStore.LOAD, Script.GET_TIMED.source);
      }

      @Override
      public void send(MasterPipelines.Commands commands, byte[] redisKey, int index) {
        commands.send(Protocol.Command.EVALSHA, SegmentStore.evalArgs(Script.GET_TIMED.sha, redisKey, List.of()));
      }

      @Override
      public Object alone(UnifiedJedis client, byte[] redisKey, int index) {
        return client.eval(Script.GET_TIMED.source, List.of(redisKey), List.of());
      }

      @Override
      public void read(Object reply, int index) {
        results[index] = timed(reply);
      }
    });
    return Arrays.asList(results);
  }
}
