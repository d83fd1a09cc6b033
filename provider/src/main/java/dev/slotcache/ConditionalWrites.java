package dev.slotcache;

import dev.slotcache.internal.expiry.ExpiryDecisions;
import dev.slotcache.internal.integration.WriteThrough;
import dev.slotcache.internal.store.Record;
import dev.slotcache.internal.store.CacheStore;
import dev.slotcache.internal.store.CacheStore.Conditional;
import dev.slotcache.internal.store.CacheStore.Outcome;
import dev.slotcache.internal.store.Ttl;
import javax.cache.CacheException;

/**
 * The conditional writes ({@code putIfAbsent}, {@code replace}, compare-by-value), chosen once per cache. Without a
 * writer and with a standard expiry policy each is one atomic command or script. With a writer, or a policy that
 * may only be asked the question that applies, the condition is checked first, the writer (or the policy) asked,
 * and the write made conditional on what was checked.
 */
abstract class ConditionalWrites<K, V> {

  /** A putIfAbsent's result: whether it applied, and the creation TTL it used. */
  record Created(boolean applied, long ttl) {
  }

  final CacheStore store;
  final ExpiryDecisions expiry;
  final EntryValues<K, V> values;
  final WriteThrough<K, V> writer;
  final int retries;

  /** What both kinds work with. */
  record Parts<K, V>(CacheStore store, ExpiryDecisions expiry, EntryValues<K, V> values, WriteThrough<K, V> writer,
      int retries) {
  }

  ConditionalWrites(Parts<K, V> parts) {
    this.store = parts.store();
    this.expiry = parts.expiry();
    this.values = parts.values();
    this.writer = parts.writer();
    this.retries = parts.retries();
  }

  static <K, V> ConditionalWrites<K, V> of(Parts<K, V> parts, boolean writesThrough) {
    return parts.expiry().isPure() && !writesThrough ? new Atomic<>(parts) : new CheckedFirst<>(parts);
  }

  /** Stores {@code record} if the key is absent. */
  abstract Created putIfAbsent(K key, V value, byte[] k, byte[] record);

  /** Replaces a present entry; its old record ({@link CacheStore#PRESENT} unless asked for), null when absent. */
  abstract byte[] replace(K key, V value, byte[] k, byte[] record, boolean returnOld);

  /**
   * Replaces (or removes, when {@code record} is null) the entry while its value equals {@code expected}.
   */
  abstract Outcome replaceIfEqual(K key, byte[] k, V expected, V newValue, byte[] record);

  /** The compare-in-this-JVM path: read, compare by equals, call the writer, compare-and-set on the stamp. */
  final Outcome replaceIfEqualByStamp(K key, byte[] k, V expected, V newValue, byte[] record) {
    for (int attempt = 0; attempt <= retries; attempt++) {
      Retries.backOff(attempt);
      byte[] currentRecord = store.get(k);
      V current = values.decode(k, currentRecord);
      if (current == null) {
        return Outcome.ABSENT;
      }
      if (!current.equals(expected)) {
        store.expire(k, expiry.access());
        return Outcome.MISMATCH;
      }
      if (record == null) {
        writer.delete(key);
      } else {
        writer.write(key, newValue);
      }
      long ttl = record == null ? Ttl.EXPIRE_NOW : expiry.update();
      if (store.compareAndSet(k, Record.header(currentRecord), record, ttl)) {
        return Outcome.APPLIED;
      }
    }
    throw contended(store.layout().cacheName(), retries);
  }

  static CacheException contended(String cacheName, int retries) {
    return new CacheException("cache '" + cacheName + "': gave up after " + retries + " retries on a key that "
        + "other writers kept changing (slotcache.invoke.max-retries)");
  }

  /** No writer, a standard policy: one command or script each. */
  static final class Atomic<K, V> extends ConditionalWrites<K, V> {
    Atomic(Parts<K, V> parts) {
      super(parts);
    }

    @Override
    Created putIfAbsent(K key, V value, byte[] k, byte[] record) {
      long creation = expiry.creation();
      return new Created(store.putIfAbsent(k, record, creation), creation);
    }

    @Override
    byte[] replace(K key, V value, byte[] k, byte[] record, boolean returnOld) {
      return store.replace(k, record, expiry.update(), returnOld);
    }

    /**
     * One script compares the encoded bytes; when they differ but the values are {@code equals} (an encoding that
     * is not canonical, such as a HashMap value) it falls back to compare-and-set on the entry's stamp.
     */
    @Override
    Outcome replaceIfEqual(K key, byte[] k, V expected, V newValue, byte[] record) {
      byte[] expectedPayload = values.encodePayload(expected);
      long ttl = record == null ? Ttl.EXPIRE_NOW : expiry.update();
      long mismatchTtl = expiry.accessMayChangeTtl() ? expiry.access() : Ttl.KEEP;
      Conditional result = store.replaceIfEqual(k, expectedPayload, record, ttl, mismatchTtl);
      if (result.outcome() != Outcome.MISMATCH) {
        return result.outcome();
      }
      V current = values.decode(k, result.current());
      if (current == null || !current.equals(expected)) {
        return current == null ? Outcome.ABSENT : Outcome.MISMATCH;
      }
      return replaceIfEqualByStamp(key, k, expected, newValue, record);
    }
  }

  /** A writer, or a policy asked only what applies: the condition first, then the writer, then the write. */
  static final class CheckedFirst<K, V> extends ConditionalWrites<K, V> {
    CheckedFirst(Parts<K, V> parts) {
      super(parts);
    }

    @Override
    Created putIfAbsent(K key, V value, byte[] k, byte[] record) {
      if (store.exists(k)) {
        return new Created(false, Ttl.KEEP);
      }
      writer.write(key, value);
      long creation = expiry.creation();
      return new Created(store.putIfAbsent(k, record, creation), creation);
    }

    @Override
    byte[] replace(K key, V value, byte[] k, byte[] record, boolean returnOld) {
      if (!store.exists(k)) {
        return null;
      }
      writer.write(key, value);
      return store.replace(k, record, expiry.update(), returnOld);
    }

    @Override
    Outcome replaceIfEqual(K key, byte[] k, V expected, V newValue, byte[] record) {
      values.encodePayload(expected); // an expected value that cannot be encoded fails as on the atomic path
      return replaceIfEqualByStamp(key, k, expected, newValue, record);
    }
  }
}
