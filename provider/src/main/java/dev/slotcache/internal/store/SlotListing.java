package dev.slotcache.internal.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
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
      Map<HostAndPort, List<Response<Long>>> replies = new LinkedHashMap<>();
      keys.forEach((master, segments) -> pipelines.queue(master, pipeline -> {
        List<Response<Long>> unlinked = new ArrayList<>();
        segments.forEach((segment, list) -> unlink(pipeline, segment, list, unlinked));
        replies.put(master, unlinked);
      }));
      pipelines.sync();
      replies.forEach((master, unlinked) -> {
        if (!pipelines.failed(master)) {
          JedisException failed = RedisCalls.failureOf(() -> unlinked.forEach(Response::get));
          if (failed != null) {
            pipelines.fail(master, failed);
          }
        }
      });
      throwFirstFailure(connected, "clear", pipelines);
    }
  }

  private void unlink(Pipeline pipeline, int segment, List<byte[]> keys, List<Response<Long>> replies) {
    for (int from = 0; from < keys.size(); from += UNLINK_CHUNK) {
      List<byte[]> chunk = keys.subList(from, Math.min(keys.size(), from + UNLINK_CHUNK));
      byte[][] redisKeys = new byte[chunk.size()][];
      for (int i = 0; i < redisKeys.length; i++) {
        redisKeys[i] = layout.redisKey(segment, chunk.get(i));
      }
      replies.add(pipeline.unlink(redisKeys));
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
    Map<HostAndPort, List<Response<Object>>> counts = new LinkedHashMap<>();
    byMaster.forEach((master, segments) -> pipelines.queue(master, pipeline -> {
      List<Response<Object>> replies = new ArrayList<>(segments.size());
      for (int segment : segments) {
        replies.add(pipeline.sendCommand(Protocol.Command.CLUSTER, "COUNTKEYSINSLOT",
            Integer.toString(layout.slot(segment))));
      }
      counts.put(master, replies);
    }));
    pipelines.sync();
    Map<HostAndPort, Map<Integer, Response<Object>>> listings = new LinkedHashMap<>();
    counts.forEach((master, replies) -> {
      if (pipelines.failed(master)) {
        return;
      }
      List<Integer> segments = byMaster.get(master);
      Map<Integer, Response<Object>> listing = new LinkedHashMap<>();
      pipelines.queue(master, pipeline -> {
        for (int i = 0; i < segments.size(); i++) {
          long count = (Long) replies.get(i).get();
          if (count > 0) {
            int segment = segments.get(i);
            listing.put(segment, pipeline.sendCommand(Protocol.Command.CLUSTER, "GETKEYSINSLOT",
                Integer.toString(layout.slot(segment)), Long.toString(count)));
          }
        }
      });
      listings.put(master, listing);
    });
    pipelines.sync();
    Map<HostAndPort, Map<Integer, List<byte[]>>> keys = new LinkedHashMap<>();
    listings.forEach((master, listing) -> {
      if (pipelines.failed(master)) {
        return;
      }
      Map<Integer, List<byte[]>> ours = new LinkedHashMap<>();
      JedisException failed = RedisCalls.failureOf(() -> collect(listing, ours));
      if (failed != null) {
        pipelines.fail(master, failed);
      } else {
        keys.put(master, ours);
      }
    });
    return keys;
  }

  private void collect(Map<Integer, Response<Object>> listing, Map<Integer, List<byte[]>> into) {
    for (Map.Entry<Integer, Response<Object>> entry : listing.entrySet()) {
      int segment = entry.getKey();
      List<byte[]> ours = new ArrayList<>();
      for (Object redisKey : (List<?>) entry.getValue().get()) {
        byte[] key = layout.encodedKey(segment, (byte[]) redisKey);
        if (key != null) {
          ours.add(key);
        }
      }
      into.put(segment, ours);
    }
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
