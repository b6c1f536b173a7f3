package dev.cobtree.core;

/** Receives entries of an index without boxing. */
@FunctionalInterface
public interface LongLongConsumer {
    void accept(long key, long value);
}
