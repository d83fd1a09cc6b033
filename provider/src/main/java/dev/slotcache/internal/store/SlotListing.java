package dev.slotcache.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Lists and clears a cache slot by slot, never with a cluster-wide {@code SCAN}: {@code CLUSTER COUNTKEYSINSLOT}
 * then {@code GETKEYSINSLOT} for each of the cache's segments on the master that owns its slot, pipelined per
 * master, all masters at once from the calling thread ({@link MasterPipelines}). A slot may hold other caches' keys
 * too; only this cache's are returned. A master that fails is reported after the others have done their part.
 * Thread-safe.
 */
final class SlotListing {

  /** Keys per {@code UNLINK}: one command stays within one slot, hence one segment. */
  private static final int UNLINK_CHUNK = 512;

  private final RedisCluster cluster;
  private final SegmentedKeyLayout layout;
  private final NodeFanOut fanOut;

  SlotListing(RedisCluster cluster, SegmentedKeyLayout layout, NodeFanOut fanOut) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
  }

  /** The encoded keys of segments {@code from} to {@code from + count - 1}, one list per segment. */
  List<List<byte[]>> keysOfSegments(int from, int count) {
    List<List<byte[]>> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(List.of());
    }
    RedisCluster.Connected connected = cluster.connected(layout.cacheName(), "iterate");
    try (MasterPipelines pipelines = new MasterPipelines(connected.provider)) {
      Map<HostAndPort, Map<Integer, List<byte[]>>> keys = listKeys(pipelines, bySegmentOwner(connected, "iterate",
          from, count));
      keys.values().forEach(segments -> segments.forEach((segment, list) -> result.set(segment - from, list)));
      throwFirstFailure(connected, "iterate", pipelines);
    }
    return result;
  }

  /** Deletes every entry of the cache: its keys listed slot by slot, unlinked in pipelines per master. */
  void clear() {
    RedisCluster.Connected connected = cluster.connected(layout.cacheName(), "clear");
    // A stale slot map would send the listing to a node that no longer owns the slot, which answers "0 keys".
    RedisCalls.call(() -> {
      connected.provider.renewSlotCache();
      return null;
    }, e -> fanOut.failure("clear", cluster.endpoint().describe(), e));
    try (MasterPipelines pipelines = new MasterPipelines(connected.provider)) {
      Map<HostAndPort, Map<Integer, List<byte[]>>> keys = listKeys(pipelines, bySegmentOwner(connected, "clear",
          0, layout.segments()));
      Map<HostAndPort, Integer> unlinks = new LinkedHashMap<>();
      keys.forEach((master, segments) -> pipelines.queue(master, commands -> {
        segments.forEach((segment, list) -> unlink(commands, segment, list));
        unlinks.put(master, commands.next());
      }));
      pipelines.sync();
      unlinks.forEach((master, count) -> {
        int m = pipelines.master(master);
        if (!pipelines.failed(m)) {
          JedisException failed = RedisCalls.failureOf(() -> {
            for (int n = 0; n < count; n++) {
              pipelines.reply(m, n);
            }
          });
          if (failed != null) {
            pipelines.fail(m, failed);
          }
        }
      });
      throwFirstFailure(connected, "clear", pipelines);
    }
  }

  private void unlink(MasterPipelines.Commands commands, int segment, List<byte[]> keys) {
    for (int from = 0; from < keys.size(); from += UNLINK_CHUNK) {
      List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + UNLINK_CHUNK));
      byte[][] redisKeys = new byte[chunk.size()][];
      for (int i = 0; i < redisKeys.length; i++) {
        redisKeys[i] = layout.redisKey(segment, chunk.get(i));
      }
      commands.send(Protocol.Command.UNLINK, redisKeys);
    }
  }

  private Map<HostAndPort, List<Integer>> bySegmentOwner(RedisCluster.Connected connected, String operation,
      int from, int count) {
    Map<HostAndPort, List<Integer>> byMaster = new LinkedHashMap<>();
    for (int segment = from; segment < from + count; segment++) {
      byMaster.computeIfAbsent(fanOut.ownerOf(connected, operation, layout.slot(segment)), k -> new ArrayList<>())
          .add(segment);
    }
    return byMaster;
  }

  /**
   * Two pipelined rounds, all masters at once: count the keys of each slot, then fetch them; this cache's only.
   * Per master, segment → encoded keys, for the segments that hold any; failed masters are left out.
   */
  private Map<HostAndPort, Map<Integer, List<byte[]>>> listKeys(MasterPipelines pipelines,
      Map<HostAndPort, List<Integer>> byMaster) {
    byMaster.forEach((master, segments) -> pipelines.queue(master, commands -> {
      for (int segment : segments) {
        commands.send(Protocol.Command.CLUSTER, COUNTKEYSINSLOT, number(layout.slot(segment)));
      }
    }));
    pipelines.sync();
    Map<HostAndPort, Map<Integer, Integer>> listings = new LinkedHashMap<>();
    byMaster.forEach((master, segments) -> {
      int m = pipelines.master(master);
      Map<Integer, Integer> listing = new LinkedHashMap<>();
      if (!pipelines.failed(m) && pipelines.queue(m, commands -> {
        List<Long> counts = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
          counts.add((Long) pipelines.reply(m, i));
        }
        for (int i = 0; i < segments.size(); i++) {
          if (counts.get(i) > 0) {
            int segment = segments.get(i);
            listing.put(segment, commands.send(Protocol.Command.CLUSTER, GETKEYSINSLOT,
                number(layout.slot(segment)), number(counts.get(i))));
          }
        }
      })) {
        listings.put(master, listing);
      }
    });
    pipelines.sync();
    Map<HostAndPort, Map<Integer, List<byte[]>>> keys = new LinkedHashMap<>();
    listings.forEach((master, listing) -> {
      int m = pipelines.master(master);
      if (pipelines.failed(m)) {
        return;
      }
      Map<Integer, List<byte[]>> ours = new LinkedHashMap<>();
      JedisException failed = RedisCalls.failureOf(() -> listing.forEach((segment, reply) ->
          ours.put(segment, ours(segment, (List<?>) pipelines.reply(m, reply)))));
      if (failed != null) {
        pipelines.fail(m, failed);
      } else {
        keys.put(master, ours);
      }
    });
    return keys;
  }

  private static final byte[] COUNTKEYSINSLOT = "COUNTKEYSINSLOT".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GETKEYSINSLOT = "GETKEYSINSLOT".getBytes(StandardCharsets.US_ASCII);

  private static byte[] number(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** This cache's encoded keys among the Redis keys of a segment's slot. */
  private List<byte[]> ours(int segment, List<?> redisKeys) {
    List<byte[]> ours = new ArrayList<>(redisKeys.size());
    for (Object redisKey : redisKeys) {
      byte[] key = layout.encodedKey(segment, (byte[]) redisKey);
      if (key != null) {
        ours.add(key);
      }
    }
    return ours;
  }

  private void throwFirstFailure(RedisCluster.Connected connected, String operation, MasterPipelines pipelines) {
    if (!pipelines.failures().isEmpty()) {
      RedisCalls.renewQuietly(connected.provider);
      Map.Entry<HostAndPort, JedisException> first =
          pipelines.failures().entrySet().iterator().next();
      throw fanOut.failure(operation, first.getKey().toString(), first.getValue());
    }
  }
}
