package dev.cobtree.core;

/**
 * A remapping function of {@link LongObjectTree#compute}: the primitive key and its current value
 * (null if absent) to the new value (null to remove).
 */
@FunctionalInterface
public interface LongObjectFunction<V, R> {
    R apply(long key, V value);
}
