package dev.slotcache.cdi;

import java.util.Arrays;
import java.util.Objects;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * The default {@link GeneratedCacheKey}: the values of a method's key parameters, compared with
 * {@link Arrays#deepEquals} and hashed with {@link Arrays#deepHashCode}, as the JSR-107 annotations specify.
 *
 * <p>Built for remote caches, whose keys are stored as bytes: a key holds nothing but the parameter values (its
 * hash code is transient, recomputed from the values in each JVM, so it never makes two equal keys encode
 * differently), and {@link #of} picks one class per number of parameters, so that equal keys always have the
 * same class and the common cases carry no array: with Slotcache's codec a key of one {@code String} parameter is
 * the class name and the string, without a {@code java.lang.Object[]} wrapper.
 *
 * <p>Use {@link #of} to read through the plain JCache API what an annotated method cached:
 * {@code cache.get(ParametersKey.of("alice", 17))}. Immutable and thread-safe (as far as the parameter values are).
 */
public abstract sealed class ParametersKey implements GeneratedCacheKey
    permits ParametersKey.None, ParametersKey.One, ParametersKey.Many {

  private static final long serialVersionUID = 1L;

  /** Lazily computed {@link Arrays#deepHashCode}; 0 means not computed yet. */
  private transient int hash;

  private ParametersKey() {
  }

  /**
   * The key of a call whose key parameters have these values, in parameter order.
   *
   * @param parameters the values (copied; may contain nulls)
   * @return an equal key for equal values, in every JVM
   */
  public static ParametersKey of(Object... parameters) {
    switch (parameters.length) {
      case 0:
        return None.INSTANCE;
      case 1:
        return new One(parameters[0]);
      default:
        return new Many(parameters.clone());
    }
  }

  /** The parameter values, in parameter order (a copy). */
  public abstract Object[] parameters();

  @Override
  public final int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.deepHashCode(parameters());
      hash = h;
    }
    return h;
  }

  @Override
  public final boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    return other instanceof ParametersKey key && key.getClass() == getClass() && sameValues(key);
  }

  /** Whether {@code other}, of this very class, holds deeply equal values. */
  abstract boolean sameValues(ParametersKey other);

  @Override
  public final String toString() {
    return "ParametersKey" + Arrays.deepToString(parameters());
  }

  /** No key parameters. */
  static final class None extends ParametersKey {
    private static final long serialVersionUID = 1L;
    static final None INSTANCE = new None();

    @Override
    public Object[] parameters() {
      return new Object[0];
    }

    @Override
    boolean sameValues(ParametersKey other) {
      return true;
    }
  }

  /** One key parameter, held directly. */
  static final class One extends ParametersKey {
    private static final long serialVersionUID = 1L;
    private final Object parameter;

    One(Object parameter) {
      this.parameter = parameter;
    }

    @Override
    public Object[] parameters() {
      return new Object[] {parameter};
    }

    @Override
    boolean sameValues(ParametersKey other) {
      return Objects.deepEquals(parameter, ((One) other).parameter);
    }
  }

  /** Two or more key parameters. */
  static final class Many extends ParametersKey {
    private static final long serialVersionUID = 1L;
    private final Object[] parameters;

    Many(Object[] parameters) {
      this.parameters = parameters;
    }

    @Override
    public Object[] parameters() {
      return parameters.clone();
    }

    @Override
    boolean sameValues(ParametersKey other) {
      return Arrays.deepEquals(parameters, ((Many) other).parameters);
    }
  }
}
