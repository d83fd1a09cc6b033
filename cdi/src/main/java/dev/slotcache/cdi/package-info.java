/**
 * Jakarta CDI interceptors for the JSR-107 annotations ({@code @CacheResult}, {@code @CachePut},
 * {@code @CacheRemove}, {@code @CacheRemoveAll}), activated by the portable extension
 * {@link dev.slotcache.cdi.SlotcacheCdiExtension}. Public API: the extension, {@link dev.slotcache.cdi.ParametersKey}
 * (the default generated key) and {@link dev.slotcache.cdi.DefaultCacheResolverFactory}.
 */
package dev.slotcache.cdi;
