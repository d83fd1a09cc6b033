package dev.slotcache.hibernate;

import java.util.Comparator;
import java.util.Objects;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import org.hibernate.cache.spi.access.SoftLock;

/**
 * What a READ_WRITE region stores — an {@link Item} or a {@link Lock} — and the read-modify-writes on them, each
 * an {@link EntryProcessor} that Slotcache runs atomically across JVMs ({@code Cache.invoke}: watch, read, process
 * here, commit with compare-and-set, retry on conflict). The rules are Hibernate's read-write rules; only the
 * atomicity differs: Hibernate's own support classes guard them with a lock inside one JVM.
 *
 * <p>Timestamps are Hibernate's ({@code RegionFactory.nextTimestamp()}: milliseconds × 4096 of the local
 * clock). Entries are immutable records (encoded by Kryo's record serializer); a processor builds a new one and may
 * run more than once, so it computes only from its arguments and the entry.
 */
final class ReadWriteEntries {

  private ReadWriteEntries() {
  }

  /** A cached value, readable by transactions that started after it was cached. */
  record Item(Object value, Object version, long timestamp) {

    boolean isReadable(long txTimestamp) {
      return txTimestamp > timestamp;
    }

    /** Only a newer version may replace an item (an unversioned item is replaced only after invalidation). */
    boolean isWriteable(Object newVersion, Comparator<Object> versions) {
      return version != null && versions != null && newVersion != null && versions.compare(version, newVersion) < 0;
    }
  }

  /**
   * A soft lock: the entry is being changed by {@code multiplicity} transactions (or was, until
   * {@code unlockTimestamp}); nobody reads it, and a load may replace it only when it is provably newer.
   */
  record Lock(String owner, long id, Object version, long timeout, int multiplicity, boolean concurrent,
      long unlockTimestamp) {

    boolean isWriteable(long txTimestamp, Object newVersion, Comparator<Object> versions) {
      if (txTimestamp > timeout) {
        return true; // a lock left by a transaction that died
      }
      if (multiplicity > 0) {
        return false;
      }
      return version == null || versions == null || newVersion == null
          ? txTimestamp > unlockTimestamp
          : versions.compare(version, newVersion) < 0;
    }

    boolean isHeldBy(Handle handle) {
      return id == handle.id() && owner.equals(handle.owner());
    }

    Handle handle() {
      return new Handle(owner, id);
    }

    Lock relocked(long newTimeout) {
      return new Lock(owner, id, version, newTimeout, multiplicity + 1, true, unlockTimestamp);
    }

    Lock released(long now) {
      int left = multiplicity - 1;
      return new Lock(owner, id, version, timeout, left, concurrent, left == 0 ? now : unlockTimestamp);
    }
  }

  /** What Hibernate holds between {@code lockItem} and {@code unlockItem}/{@code afterUpdate}. */
  record Handle(String owner, long id) implements SoftLock {

    Handle {
      Objects.requireNonNull(owner, "owner");
    }

    @Override
    public String toString() {
      return "soft lock " + owner + "#" + id;
    }
  }

  /**
   * The lock that replaces an entry whose lock was lost (expired, or overwritten after an outage): already
   * released, so loads by transactions that start from now on may fill the entry again.
   */
  static Lock expiredLock(Handle fresh, long now, long timeout) {
    return new Lock(fresh.owner(), fresh.id(), null, now + timeout, 0, false, now);
  }

  /** Caches a value read from the database, if no newer state or lock is in the way. */
  record PutFromLoad(Object value, Object version, long txTimestamp, boolean minimalPut, Comparator<Object> versions)
      implements EntryProcessor<Object, Object, Boolean> {

    @Override
    public Boolean process(MutableEntry<Object, Object> entry, Object... arguments) {
      Object current = entry.getValue();
      boolean writeable = current == null
          || (current instanceof Item item && item.isWriteable(version, versions))
          || (current instanceof Lock lock && lock.isWriteable(txTimestamp, version, versions));
      if (!writeable || (minimalPut && version == null && current != null)) {
        return false;
      }
      entry.setValue(new Item(value, version, txTimestamp));
      return true;
    }
  }

  /** Locks the entry for a change; a second transaction changing it joins the lock. */
  record LockItem(Handle fresh, Object version, long timeout) implements EntryProcessor<Object, Object, Handle> {

    @Override
    public Handle process(MutableEntry<Object, Object> entry, Object... arguments) {
      Object current = entry.getValue();
      Lock lock;
      if (current instanceof Lock held && held.multiplicity() > 0) {
        lock = held.relocked(timeout);
      } else {
        Object lockedVersion = current instanceof Item item ? item.version() : version;
        lock = new Lock(fresh.owner(), fresh.id(), lockedVersion, timeout, 1, false, 0L);
      }
      entry.setValue(lock);
      return lock.handle();
    }
  }

  /** Releases a lock; a lock that is gone is replaced by an already expired one (see {@link #expiredLock}). */
  record UnlockItem(Handle handle, Handle fresh, long now, long timeout)
      implements EntryProcessor<Object, Object, Void> {

    @Override
    public Void process(MutableEntry<Object, Object> entry, Object... arguments) {
      Object current = entry.getValue();
      if (current instanceof Lock lock && lock.isHeldBy(handle)) {
        entry.setValue(lock.released(now));
      } else {
        entry.setValue(expiredLock(fresh, now, timeout));
      }
      return null;
    }
  }

  /** After a committed insert: caches the new state unless something is there already. */
  record AfterInsert(Object value, Object version, long now) implements EntryProcessor<Object, Object, Boolean> {

    @Override
    public Boolean process(MutableEntry<Object, Object> entry, Object... arguments) {
      if (entry.exists()) {
        return false;
      }
      entry.setValue(new Item(value, version, now));
      return true;
    }
  }

  /**
   * After a committed update: the lock's only holder caches the new state; with concurrent holders it only
   * releases its share; a lost lock is replaced by an expired one.
   */
  record AfterUpdate(Handle handle, Handle fresh, Object value, Object version, long now, long timeout)
      implements EntryProcessor<Object, Object, Boolean> {

    @Override
    public Boolean process(MutableEntry<Object, Object> entry, Object... arguments) {
      Object current = entry.getValue();
      if (current instanceof Lock lock && lock.isHeldBy(handle)) {
        if (lock.concurrent()) {
          entry.setValue(lock.released(now));
          return false;
        }
        entry.setValue(new Item(value, version, now));
        return true;
      }
      entry.setValue(expiredLock(fresh, now, timeout));
      return false;
    }
  }

  /** Removes the entry unless it is locked (a lock must stay until its holder releases it). */
  static final class RemoveUnlessLocked implements EntryProcessor<Object, Object, Void> {
    static final RemoveUnlessLocked INSTANCE = new RemoveUnlessLocked();

    @Override
    public Void process(MutableEntry<Object, Object> entry, Object... arguments) {
      if (entry.exists() && !(entry.getValue() instanceof Lock)) {
        entry.remove();
      }
      return null;
    }
  }
}
