package dev.slotcache.internal.processor;

import dev.slotcache.internal.Unwrapping;
import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;
import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} sees, recording what the processor did so that the
 * cache can commit it as one store operation. Confined to one invocation (not thread-safe).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class ProcessedEntry<K, V> implements MutableEntry<K, V> {

  /** What an invocation does to its entry. */
  public enum Operation { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

  private final K key;
  private final boolean existed;
  private final Function<K, V> loader;
  private final Consumer<Object> valueCheck;
  private V value;
  private Operation operation = Operation.NONE;
  private boolean removedAbsent;
  private boolean loadTried;

  /**
   * @param value      the current value, or null when absent
   * @param loader     read-through: loads a missing value on {@code getValue()} (returns null when the cache does not
   *                   read through)
   * @param valueCheck the cache's value type check, for {@code setValue} and loaded values
   */
  public ProcessedEntry(K key, V value, Function<K, V> loader, Consumer<Object> valueCheck) {
    this.key = key;
    this.value = value;
    this.existed = value != null;
    this.loader = requireNonNull(loader, "loader");
    this.valueCheck = requireNonNull(valueCheck, "valueCheck");
  }

  /** What the processor did. */
  public Operation operation() {
    return operation;
  }

  /** Whether the entry existed when the invocation read it. */
  public boolean existed() {
    return existed;
  }

  /** The value after the processor ran (null when removed or absent). */
  public V value() {
    return value;
  }

  /** Whether the processor removed an entry that did not exist (a writer still hears of it). */
  public boolean removedAbsent() {
    return removedAbsent;
  }

  @Override
  public boolean exists() {
    return value != null;
  }

  @Override
  public void remove() {
    boolean createdHere = operation == Operation.CREATE || operation == Operation.LOAD;
    removedAbsent = !existed && !createdHere;
    operation = createdHere ? Operation.NONE : (existed ? Operation.REMOVE : Operation.NONE);
    value = null;
  }

  @Override
  public void setValue(V newValue) {
    requireNonNull(newValue, "value");
    valueCheck.accept(newValue);
    operation = existed ? Operation.UPDATE : Operation.CREATE;
    value = newValue;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    if (operation == Operation.NONE && value != null) {
      operation = Operation.ACCESS;
    } else if (operation == Operation.NONE && value == null && !loadTried) {
      loadTried = true;
      V loaded = loader.apply(key);
      if (loaded != null) {
        valueCheck.accept(loaded);
        value = loaded;
        operation = Operation.LOAD;
      }
    }
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    return Unwrapping.as(this, clazz, "a processed entry");
  }
}
