package dev.slotcache.store;

import javax.cache.CacheException;

/** A Redis operation failed: unreachable node, timeout, cluster down. The message names cache and node. */
public class StoreException extends CacheException {

  private static final long serialVersionUID = 1L;

  private final boolean outcomeUnknown;

  public StoreException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * @param outcomeUnknown the command may have been applied although no reply arrived (a timeout or dropped
   *                       connection after sending), so a caller that must not apply a write twice checks
   */
  public StoreException(String message, Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  /** Whether the failed command may nevertheless have been applied. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  public StoreException(String message) {
    this(message, null, false);
  }
}
