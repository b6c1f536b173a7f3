package dev.cobtree.core;

import java.util.Map;
import java.util.Objects;

/**
 * An immutable entry of a {@link LongObjectTree}: a primitive key ({@link #key()}) and its value
 * ({@link #value()}), a snapshot of the entry at the instant the call that returned it read it.
 * It is also a {@code Map.Entry<Long, V>} (the key boxed only when {@link #getKey} is called), so
 * the map view hands these out; equality and hash code follow the {@link Map.Entry} contract.
 */
public final class LongObjectEntry<V> implements Map.Entry<Long, V> {

    private final long key;
    private final V value;

    LongObjectEntry(long key, V value) {
        this.key = key;
        this.value = value;
    }

    /** The key, unboxed. */
    public long key() {
        return key;
    }

    /** The value (never null). */
    public V value() {
        return value;
    }

    @Override
    public Long getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    /** Entries are snapshots: set the value through the tree or map. */
    @Override
    public V setValue(V v) {
        throw new UnsupportedOperationException("entries of a LongObjectTree are immutable snapshots; use put");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Map.Entry<?, ?> e && e.getKey() instanceof Long k && k == key && Objects.equals(value, e.getValue());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(key) ^ Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
