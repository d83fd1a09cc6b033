package dev.slotcache.cdi;

import java.lang.reflect.Method;

/** A method as a method of one bean class: class-level annotations and {@code @CacheDefaults} depend on both. */
record MethodKey(Class<?> beanClass, Method method) {
}
