package dev.cobtree.core;

/**
 * A caller-owned, reusable holder for one entry, so that the primitive API of {@link CobTree}
 * can answer "found, and here is the entry" without boxing or allocating. Not thread-safe:
 * one holder per thread.
 */
public final class KeyValue {
    /** The entry's key, valid after a call that returned {@code true}. */
    public long key;
    /** The entry's value, valid after a call that returned {@code true}. */
    public long value;

    public KeyValue() {
    }

    public KeyValue set(long key, long value) {
        this.key = key;
        this.value = value;
        return this;
    }

    /** The value of an object-valued tree (its store's reference column); null for a long-valued tree. */
    Object ref;

    KeyValue set(long key, long value, Object ref) {
        this.key = key;
        this.value = value;
        this.ref = ref;
        return this;
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
