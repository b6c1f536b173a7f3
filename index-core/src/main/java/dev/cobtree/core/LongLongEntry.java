package dev.cobtree.core;

import java.util.Map;

/**
 * An immutable {@code Map.Entry<Long, Long>} that holds its key and value as primitives and
 * boxes them only when asked: one allocation per entry an iterator hands out (instead of an
 * {@code AbstractMap.SimpleImmutableEntry} and two {@code Long}s), and none at all when the
 * JIT's escape analysis sees the whole use of the entry. Equality and hash code follow the
 * {@link Map.Entry} contract, so it equals any entry with equal boxed key and value.
 */
final class LongLongEntry implements Map.Entry<Long, Long> {

    private final long key;
    private final long value;

    LongLongEntry(long key, long value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public Long getKey() {
        return key;
    }

    @Override
    public Long getValue() {
        return value;
    }

    /** Entries of a view are snapshots: set the value through the map. */
    @Override
    public Long setValue(Long v) {
        throw new UnsupportedOperationException("entries of a CobTreeMap view are immutable snapshots; use map.put");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Map.Entry<?, ?> e
                && e.getKey() instanceof Long k && k == key
                && e.getValue() instanceof Long v && v == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(key) ^ Long.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
