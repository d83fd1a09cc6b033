package dev.slotcache;

import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.Ttl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How unconditional writes get their TTL, chosen once from the expiry policy: for the five standard policies both
 * answers (creation, update) are known up front and the store picks in one command; any other policy may only be
 * asked the question that applies, so the store is asked first whether the entry exists.
 */
abstract class TtlWrites {

  final ExpiryDecisions expiry;
  final CacheStore store;

  private TtlWrites(ExpiryDecisions expiry, CacheStore store) {
    this.expiry = expiry;
    this.store = store;
  }

  /** What an unconditional write did: the old record when asked for, and whether anything was stored. */
  record Written(byte[] old, boolean stored) {
  }

  /**
   * Writes with the creation or update TTL, whichever applies. The old record comes back when {@code returnOld};
   * {@code stored} is false only for a new entry whose creation TTL is zero (never stored).
   */
  abstract Written write(byte[] k, byte[] record, boolean returnOld);

  /** Whether {@link #storeAll} needs the records before the write. */
  abstract boolean needsOldRecords();

  /**
   * Stores records ({@code olds}: the records before, or null when not read). Returns which entries were stored: a
   * new entry with a zero creation TTL is not.
   */
  abstract boolean[] storeAll(List<byte[]> keys, List<byte[]> records, List<byte[]> olds);

  static TtlWrites of(ExpiryDecisions expiry, CacheStore store) {
    return expiry.isPure() ? new Standard(expiry, store) : new AskingPolicy(expiry, store);
  }

  /** The five standard policies: one command. */
  static final class Standard extends TtlWrites {
    Standard(ExpiryDecisions expiry, CacheStore store) {
      super(expiry, store);
    }

    @Override
    Written write(byte[] k, byte[] record, boolean returnOld) {
      long creation = expiry.creation();
      byte[] old = store.put(k, record, creation, expiry.update(), returnOld);
      // With a zero creation TTL the store runs the put script, which always says whether the key existed.
      return new Written(old, creation != Ttl.EXPIRE_NOW || old != null);
    }

    @Override
    boolean needsOldRecords() {
      return expiry.creation() == Ttl.EXPIRE_NOW;
    }

    @Override
    boolean[] storeAll(List<byte[]> keys, List<byte[]> records, List<byte[]> olds) {
      boolean[] stored = new boolean[keys.size()];
      if (keys.isEmpty()) {
        return stored;
      }
      long creation = expiry.creation();
      store.putAll(keys, records, creation, expiry.update());
      for (int i = 0; i < stored.length; i++) {
        stored[i] = creation != Ttl.EXPIRE_NOW || (olds != null && olds.get(i) != null);
      }
      return stored;
    }
  }

  /** Any other policy: the existence check first, then the one question that applies. */
  static final class AskingPolicy extends TtlWrites {
    AskingPolicy(ExpiryDecisions expiry, CacheStore store) {
      super(expiry, store);
    }

    @Override
    Written write(byte[] k, byte[] record, boolean returnOld) {
      if (store.exists(k)) {
        long ttl = expiry.update();
        byte[] old = store.put(k, record, ttl == Ttl.KEEP ? Ttl.PERSIST : ttl, ttl, returnOld);
        return new Written(old, true);
      }
      long ttl = expiry.creation();
      return new Written(store.put(k, record, ttl, ttl, returnOld), ttl != Ttl.EXPIRE_NOW);
    }

    @Override
    boolean needsOldRecords() {
      return true;
    }

    @Override
    boolean[] storeAll(List<byte[]> keys, List<byte[]> records, List<byte[]> olds) {
      boolean[] stored = new boolean[keys.size()];
      if (keys.isEmpty()) {
        return stored;
      }
      List<byte[]> current = olds != null ? olds : store.getAll(keys);
      Map<List<Long>, List<Integer>> byTtl = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        long ttl;
        if (current.get(i) != null) {
          ttl = expiry.update();
          stored[i] = true;
          byTtl.computeIfAbsent(List.of(ttl == Ttl.KEEP ? Ttl.PERSIST : ttl, ttl), t -> new ArrayList<>()).add(i);
        } else {
          ttl = expiry.creation();
          stored[i] = ttl != Ttl.EXPIRE_NOW;
          byTtl.computeIfAbsent(List.of(ttl, ttl), t -> new ArrayList<>()).add(i);
        }
      }
      for (Map.Entry<List<Long>, List<Integer>> group : byTtl.entrySet()) {
        List<byte[]> groupKeys = new ArrayList<>();
        List<byte[]> groupRecords = new ArrayList<>();
        for (int i : group.getValue()) {
          groupKeys.add(keys.get(i));
          groupRecords.add(records.get(i));
        }
        store.putAll(groupKeys, groupRecords, group.getKey().get(0), group.getKey().get(1));
      }
      return stored;
    }
  }
}
