package dev.cobtree.core;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * The {@code ConcurrentNavigableMap<Long, V>} view of a {@link LongObjectTree}, and every range
 * view of it ({@code subMap}, {@code headMap}, {@code tailMap}, {@code descendingMap}, nested):
 * one class, since the whole map is the view of the unbounded {@link KeyRange}. The range
 * machinery is {@link CobTreeMap}'s own ({@link KeyRange} for bounds, order, linearizable polls
 * and counts; {@link ViewIterator} for weakly consistent iteration; {@link CobTreeKeySet} for the
 * key set), run over the tree's engine with the values read from its reference column.
 *
 * <p>Semantics follow ConcurrentSkipListMap and its sub-maps: null keys and values throw
 * {@link NullPointerException}; queries of a key outside a view's range answer "absent"; writes of
 * such a key throw {@link IllegalArgumentException}; {@code size()} is a range count, not a walk.
 * {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent}, {@code merge} and
 * {@code replaceAll} are {@code ConcurrentMap}'s retry loops over this view's atomic
 * {@code putIfAbsent}/{@code replace}/{@code remove} (value equality by {@code equals}, decided
 * under the segment lock).
 */
public final class LongObjectTreeMap<V> extends RangeNavigation<V> {

    private final LongObjectTree<V> tree;
    private final KeyRange range;
    private transient CobTreeKeySet keySet;

    LongObjectTreeMap(LongObjectTree<V> tree) {
        this(tree, KeyRange.ALL);
    }

    private LongObjectTreeMap(LongObjectTree<V> tree, KeyRange range) {
        this.tree = tree;
        this.range = range;
    }

    /** The tree behind this view. */
    public LongObjectTree<V> tree() {
        return tree;
    }

    @Override
    KeyRange range() {
        return range;
    }

    /** The long-valued facade of the same engine, which {@link KeyRange} and {@link ViewIterator} drive. */
    @Override
    CobTree cob() {
        return tree.cob();
    }

    private static long keyOf(Object key) {
        return (Long) Objects.requireNonNull(key, "key");
    }

    @Override
    @SuppressWarnings("unchecked")
    LongObjectEntry<V> entry(KeyValue kv) {
        return new LongObjectEntry<>(kv.key, (V) kv.ref);
    }

    // ---- Map ------------------------------------------------------------------------------

    @Override
    public boolean containsKey(Object key) {
        long k = keyOf(key);
        return inView(k) && tree.containsKey(k);
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        for (Iterator<V> it = values().iterator(); it.hasNext(); ) {
            if (value.equals(it.next())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public V get(Object key) {
        long k = keyOf(key);
        return inView(k) ? tree.get(k) : null;
    }

    @Override
    public V getOrDefault(Object key, V defaultValue) {
        V v = get(key);
        return v != null ? v : defaultValue;
    }

    @Override
    public V put(Long key, V value) {
        long k = keyOf(key);
        range.check(k); // the range before the value, in ConcurrentSkipListMap's order
        Objects.requireNonNull(value, "value");
        return tree.put(k, value);
    }

    @Override
    public V putIfAbsent(Long key, V value) {
        long k = keyOf(key);
        range.check(k); // the range before the value, in ConcurrentSkipListMap's order
        Objects.requireNonNull(value, "value");
        return tree.putIfAbsent(k, value);
    }

    @Override
    public V remove(Object key) {
        long k = keyOf(key);
        return inView(k) ? tree.remove(k) : null;
    }

    @Override
    public boolean remove(Object key, Object value) {
        long k = keyOf(key);
        return value != null && inView(k) && tree.remove(k, value);
    }

    @Override
    public V replace(Long key, V value) {
        long k = keyOf(key);
        range.check(k); // the range before the value, in ConcurrentSkipListMap's order
        Objects.requireNonNull(value, "value"); // as ConcurrentSkipListMap's sub-maps (and CobTreeSubMap): out of range throws
        return tree.replace(k, value);
    }

    @Override
    public boolean replace(Long key, V oldValue, V newValue) {
        long k = keyOf(key);
        range.check(k); // the range before the values, in ConcurrentSkipListMap's order
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        return tree.replace(k, oldValue, newValue);
    }

    @Override
    public void clear() {
        range.clear(cob());
    }

    @Override
    public NavigableSet<Long> keySet() {
        CobTreeKeySet ks = keySet;
        return ks != null ? ks : (keySet = new CobTreeKeySet(this, cob(), range));
    }

    @Override
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override public Iterator<V> iterator() { return new ViewIterator.ObjectValues<>(cob(), range); }
            @Override public int size() { return LongObjectTreeMap.this.size(); }
            @Override public boolean isEmpty() { return LongObjectTreeMap.this.isEmpty(); }
            @Override public void clear() { LongObjectTreeMap.this.clear(); }
            @Override public boolean contains(Object o) { return containsValue(o); }
            @Override public Spliterator<V> spliterator() {
                return ViewIterator.spliterator(iterator(), Spliterator.NONNULL, null);
            }
        };
    }

    @Override
    public Set<Map.Entry<Long, V>> entrySet() {
        return new AbstractSet<>() {
            @Override public Iterator<Map.Entry<Long, V>> iterator() { return new ViewIterator.ObjectEntries<>(cob(), range); }
            @Override public int size() { return LongObjectTreeMap.this.size(); }
            @Override public boolean isEmpty() { return LongObjectTreeMap.this.isEmpty(); }
            @Override public void clear() { LongObjectTreeMap.this.clear(); }

            @Override
            public boolean contains(Object o) {
                if (!(o instanceof Map.Entry<?, ?> e) || !(e.getKey() instanceof Long k) || e.getValue() == null) {
                    return false;
                }
                V v = get(k);
                return v != null && v.equals(e.getValue());
            }

            @Override
            public boolean remove(Object o) {
                return o instanceof Map.Entry<?, ?> e && e.getKey() instanceof Long k && e.getValue() != null
                        && LongObjectTreeMap.this.remove(k, e.getValue());
            }

            @Override
            public Spliterator<Map.Entry<Long, V>> spliterator() {
                return ViewIterator.spliterator(iterator(), Spliterator.DISTINCT | Spliterator.NONNULL, null);
            }
        };
    }

    // ---- SortedMap / NavigableMap ---------------------------------------------------------

    // ---- nested views ---------------------------------------------------------------------

    @Override
    public ConcurrentNavigableMap<Long, V> subMap(Long fromKey, boolean fromInclusive, Long toKey, boolean toInclusive) {
        long from = Objects.requireNonNull(fromKey, "fromKey");
        long to = Objects.requireNonNull(toKey, "toKey");
        return new LongObjectTreeMap<>(tree, range.subRange(true, from, fromInclusive, true, to, toInclusive));
    }

    @Override
    public ConcurrentNavigableMap<Long, V> headMap(Long toKey, boolean inclusive) {
        long to = Objects.requireNonNull(toKey, "toKey");
        return new LongObjectTreeMap<>(tree, range.subRange(false, 0L, false, true, to, inclusive));
    }

    @Override
    public ConcurrentNavigableMap<Long, V> tailMap(Long fromKey, boolean inclusive) {
        long from = Objects.requireNonNull(fromKey, "fromKey");
        return new LongObjectTreeMap<>(tree, range.subRange(true, from, inclusive, false, 0L, false));
    }

    @Override
    public ConcurrentNavigableMap<Long, V> subMap(Long fromKey, Long toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public ConcurrentNavigableMap<Long, V> headMap(Long toKey) {
        return headMap(toKey, false);
    }

    @Override
    public ConcurrentNavigableMap<Long, V> tailMap(Long fromKey) {
        return tailMap(fromKey, true);
    }

    @Override
    public ConcurrentNavigableMap<Long, V> descendingMap() {
        return new LongObjectTreeMap<>(tree, range.reversed());
    }

    /**
     * Whether k is inside this view. A key outside answers "absent" without asking the tree, so
     * the closed check is made here: after close every method throws, as the class promises.
     */
    private boolean inView(long k) {
        if (range.contains(k)) {
            return true;
        }
        tree.checkOpen();
        return false;
    }
}
