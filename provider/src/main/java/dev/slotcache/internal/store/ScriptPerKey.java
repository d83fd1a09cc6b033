package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * A batch of one {@link Script} call per key ({@link NodeFanOut#forEachKey}): the script is loaded once per master,
 * then called by its SHA for each key; a key redone alone calls it by its source.
 */
abstract class ScriptPerKey implements NodeFanOut.KeyWork {

  private final Script script;

  ScriptPerKey(Script script) {
    this.script = script;
  }

  /** The script's keys for the batch's key at {@code index}, whose entry is {@code redisKey}; all in one slot. */
  List<byte[]> keys(byte[] redisKey, int index) {
    return List.of(redisKey);
  }

  /** The script's arguments for the batch's key at {@code index}. */
  abstract List<byte[]> args(int index);

  @Override
  public final void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
    commands.send(Protocol.Command.SCRIPT, SegmentStore.LOAD, script.source);
  }

  @Override
  public final void send(MasterPipelines.Commands commands, byte[] redisKey, int index) {
    List<byte[]> keys = keys(redisKey, index);
    List<byte[]> args = args(index);
    byte[][] all = new byte[2 + keys.size() + args.size()][];
    all[0] = script.sha;
    all[1] = Integer.toString(keys.size()).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < keys.size(); i++) {
      all[2 + i] = keys.get(i);
    }
    for (int i = 0; i < args.size(); i++) {
      all[2 + keys.size() + i] = args.get(i);
    }
    commands.send(Protocol.Command.EVALSHA, all);
  }

  @Override
  public final Object alone(UnifiedJedis client, byte[] redisKey, int index) {
    return client.eval(script.source, keys(redisKey, index), args(index));
  }
}
