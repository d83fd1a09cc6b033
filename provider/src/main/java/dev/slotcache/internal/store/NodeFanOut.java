package dev.slotcache.internal.store;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.HostAndPort;
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

  /**
   * The keys of one segment inside a batch: positions {@code from} to {@code to - 1} of the batch's keys sorted by
   * segment (so a batch allocates per key, not per segment).
   */
  static final class Segment {
    private final int[] indexes;
    private final byte[][] redisKeys;
    private final int from;
    private final int to;
    private final MasterPipelines pipelines;
    final int master;
    /** The number of the reply to this segment's first command on its master. */
    private int firstReply;

    Segment(int[] indexes, byte[][] redisKeys, int from, int to, MasterPipelines pipelines, int master) {
      this.indexes = indexes;
      this.redisKeys = redisKeys;
      this.from = from;
      this.to = to;
      this.pipelines = pipelines;
      this.master = master;
    }

    int size() {
      return to - from;
    }

    /** The position in the caller's list of the {@code i}-th key of this segment. */
    int index(int i) {
      return indexes[from + i];
    }

    byte[] redisKey(int i) {
      return redisKeys[from + i];
    }

    /** This segment's Redis keys, for a multi-key command. */
    byte[][] redisKeys() {
      return Arrays.copyOfRange(redisKeys, from, to);
    }

    /** The reply to the {@code i}-th command this segment sent; an error reply is thrown. */
    Object reply(int i) {
      return pipelines.reply(master, firstReply + i);
    }
  }

  /** What a batch does with each segment. */
  interface SegmentWork {
    /** Commands sent once per master, before its segments' (a script load); none by default. */
    default void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
    }

    /** Sends the segment's commands. */
    void send(MasterPipelines.Commands commands, Segment segment);

    /** Takes in the replies ({@link Segment#reply}); an error reply throws, and only this segment is redone. */
    void read(Segment segment);

    /** The same with single commands, which follow redirections: the fallback for a segment that failed. */
    void alone(UnifiedJedis client, Segment segment);
  }

  /** Runs {@code work} for the segments of {@code keys}, one pipeline per master, all masters at once. */
  void forEachSegment(String operation, List<byte[]> keys, SegmentWork work) {
    if (keys.isEmpty()) {
      return;
    }
    RedisCluster.Connected connected = cluster.connected(layout.cacheName(), operation);
    Segment[] segments;
    boolean[] redo;
    try (MasterPipelines pipelines = new MasterPipelines(connected.provider)) {
      segments = group(connected, operation, keys, pipelines);
      int[] next = new int[segments.length];
      int[] first = chainByMaster(segments, pipelines.count(), next);
      for (int m = 0; m < pipelines.count(); m++) {
        int head = first[m];
        pipelines.queue(m, commands -> {
          work.prepare(commands, segments[head].redisKey(0));
          for (int s = head; s >= 0; s = next[s]) {
            segments[s].firstReply = commands.next();
            work.send(commands, segments[s]);
          }
        });
      }
      pipelines.sync();
      redo = new boolean[segments.length];
      for (int s = 0; s < segments.length; s++) {
        // An error reply (MOVED, CLUSTERDOWN, ...) fails only its segment; a broken connection the whole master.
        Segment segment = segments[s];
        redo[s] = pipelines.failed(segment.master) || RedisCalls.failureOf(() -> work.read(segment)) != null;
      }
    }
    boolean renewed = false;
    for (int s = 0; s < segments.length; s++) {
      if (redo[s]) {
        if (!renewed) {
          RedisCalls.renewQuietly(connected.provider);
          renewed = true;
        }
        Segment segment = segments[s];
        RedisCalls.call(() -> {
          work.alone(connected.client, segment);
          return null;
        }, e -> failure(operation, cluster.ownerOf(JedisClusterCRC16.getSlot(segment.redisKey(0))), e));
      }
    }
  }

  /** A batch of one command per key; {@link #read} sees each reply with the key's position in the caller's list. */
  interface KeyWork {
    default void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
    }

    void send(MasterPipelines.Commands commands, byte[] redisKey, int index);

    Object alone(UnifiedJedis client, byte[] redisKey, int index);

    /** Takes in one reply; by default only checks that it is no error. */
    default void read(Object reply, int index) {
    }
  }

  /** Runs {@code work} for every key of {@code keys}: {@link #forEachSegment} with one command per key. */
  void forEachKey(String operation, List<byte[]> keys, KeyWork work) {
    forEachSegment(operation, keys, new SegmentWork() {
      @Override
      public void prepare(MasterPipelines.Commands commands, byte[] firstKey) {
        work.prepare(commands, firstKey);
      }

      @Override
      public void send(MasterPipelines.Commands commands, Segment segment) {
        for (int i = 0; i < segment.size(); i++) {
          work.send(commands, segment.redisKey(i), segment.index(i));
        }
      }

      @Override
      public void read(Segment segment) {
        for (int i = 0; i < segment.size(); i++) {
          work.read(segment.reply(i), segment.index(i));
        }
      }

      @Override
      public void alone(UnifiedJedis client, Segment segment) {
        for (int i = 0; i < segment.size(); i++) {
          work.read(work.alone(client, segment.redisKey(i), segment.index(i)), segment.index(i));
        }
      }
    });
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

  /**
   * The keys by segment, each segment numbered with its owner in {@code pipelines}. Keys are sorted by segment
   * rather than counted into arrays per segment, so the work is proportional to the keys, not to the (up to
   * 16,384) segments.
   */
  private Segment[] group(RedisCluster.Connected connected, String operation, List<byte[]> keys,
      MasterPipelines pipelines) {
    long[] bySegment = new long[keys.size()];
    for (int i = 0; i < bySegment.length; i++) {
      bySegment[i] = (long) layout.segmentOf(keys.get(i)) << 32 | i;
    }
    Arrays.sort(bySegment);
    int[] indexes = new int[bySegment.length];
    byte[][] redisKeys = new byte[bySegment.length][];
    Segment[] segments = new Segment[bySegment.length];
    int count = 0;
    for (int from = 0; from < bySegment.length; ) {
      int segment = (int) (bySegment[from] >>> 32);
      int to = from;
      do {
        indexes[to] = (int) bySegment[to];
        redisKeys[to] = layout.redisKey(segment, keys.get(indexes[to]));
        to++;
      } while (to < bySegment.length && (int) (bySegment[to] >>> 32) == segment);
      int master = pipelines.master(ownerOf(connected, operation, layout.slot(segment)));
      segments[count++] = new Segment(indexes, redisKeys, from, to, pipelines, master);
      from = to;
    }
    return Arrays.copyOf(segments, count);
  }

  /** Links the segments of each master: returns each master's first segment; {@code next} the one after each. */
  private static int[] chainByMaster(Segment[] segments, int masters, int[] next) {
    int[] first = new int[masters];
    int[] last = new int[masters];
    Arrays.fill(first, -1);
    for (int s = 0; s < segments.length; s++) {
      int m = segments[s].master;
      if (first[m] < 0) {
        first[m] = s;
      } else {
        next[last[m]] = s;
      }
      last[m] = s;
      next[s] = -1;
    }
    return first;
  }
}
