package dev.cobtree.core;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * The navigation of a map view over a {@link KeyRange} of one engine, written once for the
 * long-valued views ({@link CobTreeSubMap}) and the object-valued ones ({@link LongObjectTreeMap}):
 * first/last, polls and ceiling/floor/higher/lower in key and entry forms, each one linearizable
 * call of {@link KeyRange} on the long-valued facade; the subclass says only how an answer becomes
 * an entry. Also size, isEmpty, the comparator and the key-set views. Stateless (the range and the tree are the subclass's), so a serializable view stays
 * serializable.
 *
 * @param <V> the value type of the view
 */
abstract class RangeNavigation<V> extends AbstractMap<Long, V> implements ConcurrentNavigableMap<Long, V> {

    /** The view's bounds and direction. */
    abstract KeyRange range();

    /** The long-valued facade of the engine that {@link KeyRange} drives. */
    abstract CobTree cob();

    /** The answer held in {@code kv} as an immutable entry of this view's value type. */
    abstract Map.Entry<Long, V> entry(KeyValue kv);

    /** Declared again: {@code AbstractMap}'s {@code Set} return type does not implement the navigable one. */
    @Override
    public abstract NavigableSet<Long> keySet();

    /** A range count of the tree: linearizable for a bounded view; the whole map's is the block-count sum. */
    @Override
    public int size() {
        return CobTreeMap.saturated(range().count(cob()));
    }

    /** Whether the view has no entry at an instant of the call (a linearizable search for its first one). */
    @Override
    public boolean isEmpty() {
        return !range().lowest(cob(), new KeyValue());
    }

    @Override
    public Comparator<? super Long> comparator() {
        return range().descending ? Collections.reverseOrder() : null;
    }

    @Override
    public NavigableSet<Long> navigableKeySet() {
        return keySet();
    }

    @Override
    public NavigableSet<Long> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    private static long keyOf(Long key) {
        return CobTreeMap.keyOf(key);
    }

    @Override
    public Long firstKey() {
        KeyValue kv = new KeyValue();
        if (!range().first(cob(), kv)) {
            throw new NoSuchElementException("view " + range() + " is empty");
        }
        return kv.key;
    }

    @Override
    public Long lastKey() {
        KeyValue kv = new KeyValue();
        if (!range().last(cob(), kv)) {
            throw new NoSuchElementException("view " + range() + " is empty");
        }
        return kv.key;
    }

    @Override
    public Map.Entry<Long, V> firstEntry() {
        KeyValue kv = new KeyValue();
        return range().first(cob(), kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, V> lastEntry() {
        KeyValue kv = new KeyValue();
        return range().last(cob(), kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, V> pollFirstEntry() {
        KeyValue kv = new KeyValue();
        return range().pollFirst(cob(), kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, V> pollLastEntry() {
        KeyValue kv = new KeyValue();
        return range().pollLast(cob(), kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, V> lowerEntry(Long key) {
        KeyValue kv = new KeyValue();
        return range().lowerInOrder(cob(), keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long lowerKey(Long key) {
        KeyValue kv = new KeyValue();
        return range().lowerInOrder(cob(), keyOf(key), kv) ? kv.key : null;
    }

    @Override
    public Map.Entry<Long, V> floorEntry(Long key) {
        KeyValue kv = new KeyValue();
        return range().floorInOrder(cob(), keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long floorKey(Long key) {
        KeyValue kv = new KeyValue();
        return range().floorInOrder(cob(), keyOf(key), kv) ? kv.key : null;
    }

    @Override
    public Map.Entry<Long, V> ceilingEntry(Long key) {
        KeyValue kv = new KeyValue();
        return range().ceilingInOrder(cob(), keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long ceilingKey(Long key) {
        KeyValue kv = new KeyValue();
        return range().ceilingInOrder(cob(), keyOf(key), kv) ? kv.key : null;
    }

    @Override
    public Map.Entry<Long, V> higherEntry(Long key) {
        KeyValue kv = new KeyValue();
        return range().higherInOrder(cob(), keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long higherKey(Long key) {
        KeyValue kv = new KeyValue();
        return range().higherInOrder(cob(), keyOf(key), kv) ? kv.key : null;
    }
}
