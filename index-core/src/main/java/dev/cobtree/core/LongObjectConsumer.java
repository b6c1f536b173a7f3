package dev.cobtree.core;

/** Receives the entries of a {@link LongObjectTree} scan: a primitive key and its value (no boxing). */
@FunctionalInterface
public interface LongObjectConsumer<V> {
    void accept(long key, V value);
}
