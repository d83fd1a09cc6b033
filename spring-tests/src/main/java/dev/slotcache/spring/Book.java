package dev.slotcache.spring;

import java.math.BigDecimal;

/** A catalog entry, the value type the sample caches hold. No {@code Serializable} needed: Slotcache encodes with Kryo. */
public record Book(String isbn, String title, BigDecimal price) {
}
