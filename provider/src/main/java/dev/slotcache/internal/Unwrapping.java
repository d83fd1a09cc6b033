package dev.slotcache.internal;

import java.util.Objects;

/** {@code unwrap} as the spec defines it for caches, managers, entries and events: to this object's own types. */
public final class Unwrapping {

  private Unwrapping() {
  }

  /**
   * {@code self} as {@code clazz}.
   *
   * @param what names the object in the message, such as "a cache entry"
   * @throws IllegalArgumentException when {@code self} is not a {@code clazz}
   */
  public static <T> T as(Object self, Class<T> clazz, String what) {
    Objects.requireNonNull(clazz, "clazz");
    if (clazz.isInstance(self)) {
      return clazz.cast(self);
    }
    throw new IllegalArgumentException(what + " cannot be unwrapped to " + clazz.getName());
  }
}
