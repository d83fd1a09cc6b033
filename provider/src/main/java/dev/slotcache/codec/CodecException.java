package dev.slotcache.codec;

import javax.cache.CacheException;

/** A key or value could not be encoded, or stored bytes could not be decoded. */
public class CodecException extends CacheException {

  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * This failure as the cache named {@code cacheName} reports it to its caller: a {@link CacheException} whose
   * message is {@code cache '<cacheName>': } followed by this one's, caused by this.
   */
  public CacheException inCache(String cacheName) {
    return new CacheException("cache '" + cacheName + "': " + getMessage(), this);
  }
}
