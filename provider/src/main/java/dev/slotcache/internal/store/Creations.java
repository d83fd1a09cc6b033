package dev.slotcache.internal.store;

import java.util.List;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/** Creations of many keys at once ({@code SET … NX}, pipelined per master): what a batch of loads stores. */
final class Creations {

  private Creations() {
  }

  static boolean[] putIfAbsentAll(NodeFanOut fanOut, List<byte[]> keys, List<byte[]> records, long[] ttls) {
    boolean[] created = new boolean[keys.size()];
    fanOut.forEachKey("putIfAbsent", keys, new NodeFanOut.KeyWork() {
      @Override
      public void send(MasterPipelines.Commands commands, byte[] redisKey, int index) {
        commands.send(new CommandArguments(Protocol.Command.SET).add(redisKey).add(records.get(index))
            .addParams(params(index)));
      }

      @Override
      public Object alone(UnifiedJedis client, byte[] redisKey, int index) {
        return client.set(redisKey, records.get(index), params(index));
      }

      @Override
      public void read(Object reply, int index) {
        created[index] = reply != null;
      }

      private SetParams params(int index) {
        SetParams params = SetParams.setParams().nx();
        return ttls[index] > 0 ? params.px(ttls[index]) : params;
      }
    });
    return created;
  }
}
