package dev.slotcache.internal.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Runs a batch of keys as one pipeline per master: keys grouped by segment (one slot, so multi-key commands work
 * inside it), segments by the master that owns them in the slot map, every master's commands sent from the calling
 * thread before any reply is read ({@link MasterPipelines}). No other thread takes part.
 *
 * <p>A segment whose pipelined commands fail — a moved slot, a failover, a dropped connection — is redone with
 * single commands, which follow redirections and reconnect; only if those fail too does the batch fail, with a
 * {@link StoreException} naming the cache, the operation and the node. Thread-safe.
 */
final class NodeFanOut {

  private final RedisCluster cluster;
  private final SegmentedKeyLayout layout;

  NodeFanOut(RedisCluster cluster, SegmentedKeyLayout layout) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.layout = Objects.requireNonNull(layout, "layout");
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

    /** Stores {@code values} (one per key of this segment, in order) at the keys' positions in {@code results}. */
    void scatter(List<byte[]> values, byte[][] results) {
      for (int i = 0; i < indexes.length; i++) {
        results[indexes[i]] = values.get(i);
      }
    }
  }

  /** What a batch does with each segment. */
  interface SegmentWork {
    /** Commands queued once per master, before its segments' (a script load); none by default. */
    default void prepare(Pipeline pipeline, SegmentBatch first) {
    }

    /** Queues the segment's commands; what it returns reads their replies once they have arrived. */
    Runnable send(Pipeline pipeline, SegmentBatch segment);

    /** The same with single commands, which follow redirections: the fallback for a segment that failed. */
    void alone(UnifiedJedis client, SegmentBatch segment);
  }

  /** Runs {@code work} for the segments of {@code keys}, one pipeline per master, all masters at once. */
  void forEachSegment(String operation, List<byte[]> keys, SegmentWork work) {
    if (keys.isEmpty()) {
      return;
    }
    RedisCluster.Connected connected = cluster.connected(layout.cacheName(), operation);
    Map<HostAndPort, List<SegmentBatch>> byMaster = group(connected, operation, keys);
    List<SegmentBatch> redo = new ArrayList<>(0);
    try (MasterPipelines pipelines = new MasterPipelines(connected.provider)) {
      Map<HostAndPort, Runnable[]> readers = new LinkedHashMap<>(8);
      byMaster.forEach((master, segments) -> {
        Runnable[] reads = new Runnable[segments.size()];
        if (pipelines.queue(master, pipeline -> {
          work.prepare(pipeline, segments.get(0));
          for (int i = 0; i < reads.length; i++) {
            reads[i] = work.send(pipeline, segments.get(i));
          }
        })) {
          readers.put(master, reads);
        }
      });
      pipelines.sync();
      byMaster.forEach((master, segments) -> {
        Runnable[] reads = readers.get(master);
        for (int i = 0; i < segments.size(); i++) {
          // An error reply (MOVED, CLUSTERDOWN, ...) fails only its segment; a broken connection the whole master.
          if (reads == null || pipelines.failed(master) || RedisCalls.failureOf(reads[i]) != null) {
            redo.add(segments.get(i));
          }
        }
      });
    }
    if (!redo.isEmpty()) {
      RedisCalls.renewQuietly(connected.provider);
      for (SegmentBatch segment : redo) {
        RedisCalls.call(() -> {
          work.alone(connected.client, segment);
          return null;
        }, e -> failure(operation, cluster.ownerOf(JedisClusterCRC16.getSlot(segment.redisKeys[0])), e));
      }
    }
  }

  /** The master that owns {@code slot}, renewing the slot map once when it names none. */
  HostAndPort ownerOf(RedisCluster.Connected connected, String operation, int slot) {
    HostAndPort owner = connected.provider.getNode(slot);
    if (owner == null) {
      RedisCalls.call(() -> {
        connected.provider.renewSlotCache();
        return null;
      }, e -> failure(operation, cluster.endpoint().describe(), e));
      owner = connected.provider.getNode(slot);
      if (owner == null) {
        throw new StoreException("cache '" + layout.cacheName() + "': no node serves slot " + slot
            + " (is the cluster down or being resharded?)");
      }
    }
    return owner;
  }

  StoreException failure(String operation, String node, JedisException e) {
    return RedisCalls.failure(layout.cacheName(), operation, node, e);
  }

  private Map<HostAndPort, List<SegmentBatch>> group(RedisCluster.Connected connected, String operation,
      List<byte[]> keys) {
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
    Map<HostAndPort, List<SegmentBatch>> byMaster = new LinkedHashMap<>(8);
    for (int segment = 0; segment < segments; segment++) {
      if (indexes[segment] != null) {
        HostAndPort owner = ownerOf(connected, operation, layout.slot(segment));
        byMaster.computeIfAbsent(owner, k -> new ArrayList<>()).add(new SegmentBatch(indexes[segment], redisKeys[segment]));
      }
    }
    return byMaster;
  }
}
