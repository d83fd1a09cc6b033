package dev.slotcache.internal.expiry;

import dev.slotcache.internal.store.Ttl;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;

/**
 * Turns an {@link ExpiryPolicy} into the TTL codes of the store ({@link Ttl}), in one place.
 *
 * <p>The policy is called in the caller's JVM, only for the operations the spec names. A {@code null}
 * duration means "unchanged" for update and access (creation: eternal); an exception from the policy is
 * treated the same way, as the reference implementation does. The optional jitter shortens finite TTLs by a
 * random 0..p %; the optional maximum caps every TTL, eternal ones included.
 *
 * <p>The five policies of {@code javax.cache.expiry} are pure functions of their constructor argument:
 * {@link #isPure()} lets the cache compute creation and update TTLs up front and spare a round trip.
 */
public final class ExpiryDecisions {

  private final ExpiryPolicy policy;
  private final boolean pure;
  private final int jitterPercent;
  private final long maxTtlMillis;

  public ExpiryDecisions(ExpiryPolicy policy, int jitterPercent, java.time.Duration maxTtl) {
    this.policy = policy;
    Class<?> type = policy.getClass();
    this.pure = type == EternalExpiryPolicy.class || type == CreatedExpiryPolicy.class
        || type == AccessedExpiryPolicy.class || type == ModifiedExpiryPolicy.class
        || type == TouchedExpiryPolicy.class;
    this.jitterPercent = jitterPercent;
    this.maxTtlMillis = maxTtl == null ? 0 : Math.max(1, maxTtl.toMillis());
  }

  /** Whether calling the policy has no side effects and always gives the same answers. */
  public boolean isPure() {
    return pure;
  }

  /** Whether an access can change the TTL (so reads must use GETEX). */
  public boolean accessMayChangeTtl() {
    return !pure || policy.getClass() == AccessedExpiryPolicy.class || policy.getClass() == TouchedExpiryPolicy.class;
  }

  /** TTL for a new entry; never {@link Ttl#KEEP}. */
  public long creation() {
    Duration duration = ask(policy::getExpiryForCreation);
    long ttl = duration == null ? Ttl.PERSIST : toTtl(duration);
    return cap(ttl == Ttl.KEEP ? Ttl.PERSIST : ttl);
  }

  /**
   * The TTL the policy gives a new entry before any jitter (capped by max-ttl): the life an early refresh measures
   * against; {@link Ttl#PERSIST} for none.
   */
  public long nominalCreation() {
    Duration duration = ask(policy::getExpiryForCreation);
    if (duration == null || duration.isEternal()) {
      return cap(Ttl.PERSIST);
    }
    return duration.isZero() ? Ttl.EXPIRE_NOW
        : cap(Math.max(1, duration.getTimeUnit().toMillis(duration.getDurationAmount())));
  }

  /** TTL for an updated entry; {@link Ttl#KEEP} when unchanged. */
  public long update() {
    return keepOrCap(ask(policy::getExpiryForUpdate));
  }

  /** TTL after an access; {@link Ttl#KEEP} when unchanged. */
  public long access() {
    return keepOrCap(ask(policy::getExpiryForAccess));
  }

  /** The policy's answer; null, as for "unchanged", when the policy throws. */
  private static Duration ask(Supplier<Duration> question) {
    try {
      return question.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private long keepOrCap(Duration duration) {
    return duration == null ? Ttl.KEEP : cap(toTtl(duration));
  }

  private long toTtl(Duration duration) {
    if (duration.isEternal()) {
      return Ttl.PERSIST;
    }
    if (duration.isZero()) {
      return Ttl.EXPIRE_NOW;
    }
    long millis = Math.max(1, duration.getTimeUnit().toMillis(duration.getDurationAmount()));
    if (jitterPercent > 0 && millis > 1) {
      long jitter = ThreadLocalRandom.current().nextLong(millis * jitterPercent / 100 + 1);
      millis = Math.max(1, millis - jitter);
    }
    return millis;
  }

  private long cap(long ttl) {
    if (maxTtlMillis == 0 || ttl == Ttl.EXPIRE_NOW || ttl == Ttl.KEEP) {
      return ttl;
    }
    return ttl == Ttl.PERSIST ? maxTtlMillis : Math.min(ttl, maxTtlMillis);
  }
}
