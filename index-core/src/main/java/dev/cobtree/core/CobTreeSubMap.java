package dev.cobtree.core;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.cobtree.core.CobTreeMap.keyOf;
import static dev.cobtree.core.CobTreeMap.valueOf;

/**
 * A range view of a {@link CobTreeMap}: {@code subMap}, {@code headMap}, {@code tailMap} and
 * {@code descendingMap} of the map or of another view. Backed by the map's tree; its
 * {@link KeyRange} decides what is in the view and in which order.
 *
 * <p>Semantics follow ConcurrentSkipListMap's sub-maps: queries of a key outside the range
 * answer "absent"; writes of such a key ({@code put}, {@code putIfAbsent}, {@code replace}, and
 * {@code compute}/{@code merge} when they would insert) throw {@link IllegalArgumentException}
 * "key out of range"; {@code clear} removes only the range's entries. {@code size()} is a range
 * count of the tree, not a walk.
 */
final class CobTreeSubMap extends RangeNavigation<Long> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The map this view belongs to (serialized with it, so a copy of a view is a view of a copy). */
    private final CobTreeMap root;
    private final KeyRange range;
    private transient CobTreeKeySet keySet;
    private transient CobTreeEntrySet entrySet;
    private transient CobTreeValues values;

    CobTreeSubMap(CobTreeMap root, KeyRange range) {
        this.root = root;
        this.range = range;
    }

    private CobTree tree() {
        return root.tree();
    }

    @Override
    KeyRange range() {
        return range;
    }

    @Override
    CobTree cob() {
        return root.tree();
    }

    @Override
    Map.Entry<Long, Long> entry(KeyValue kv) {
        return CobTreeMap.entry(kv);
    }

    // ---- Map ------------------------------------------------------------------------------

    @Override
    public boolean containsKey(Object key) {
        long k = keyOf(key);
        return inView(k) && tree().containsKey(k);
    }

    @Override
    public Long get(Object key) {
        long k = keyOf(key);
        KeyValue kv = new KeyValue();
        return inView(k) && tree().get(k, kv) ? kv.value : null;
    }

    @Override
    public Long put(Long key, Long value) {
        long k = keyOf(key);
        range.check(k); // the range before the value, in ConcurrentSkipListMap's order
        long v = valueOf(value);
        KeyValue kv = new KeyValue();
        return tree().put(k, v, kv) ? kv.value : null;
    }

    @Override
    public Long remove(Object key) {
        long k = keyOf(key);
        KeyValue kv = new KeyValue();
        return inView(k) && tree().remove(k, kv) ? kv.value : null;
    }

    /** Checks every entry (nulls, range) before writing any; see {@link CobTreeMap#putAll}. */
    @Override
    public void putAll(Map<? extends Long, ? extends Long> m) {
        CobTreeMap.putAll(tree(), range, m);
    }

    @Override
    public void clear() {
        range.clear(tree());
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        if (!(value instanceof Long v)) {
            return false;
        }
        CobTree.Cursor c = range.cursor(tree());
        while (c.next() && !range.pastEnd(c.key())) {
            if (c.value() == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public NavigableSet<Long> keySet() {
        CobTreeKeySet ks = keySet;
        return ks != null ? ks : (keySet = new CobTreeKeySet(this, tree(), range));
    }

    @Override
    public Set<Map.Entry<Long, Long>> entrySet() {
        CobTreeEntrySet es = entrySet;
        return es != null ? es : (entrySet = new CobTreeEntrySet(this, tree(), range));
    }

    @Override
    public Collection<Long> values() {
        CobTreeValues vs = values;
        return vs != null ? vs : (values = new CobTreeValues(this, tree(), range));
    }

    @Override
    public void forEach(BiConsumer<? super Long, ? super Long> action) {
        Objects.requireNonNull(action, "action");
        CobTree.Cursor c = range.cursor(tree());
        while (c.next() && !range.pastEnd(c.key())) {
            action.accept(c.key(), c.value());
        }
    }

    // ---- ConcurrentMap --------------------------------------------------------------------

    @Override
    public Long putIfAbsent(Long key, Long value) {
        long k = keyOf(key);
        range.check(k); // the range before the value, in ConcurrentSkipListMap's order
        long v = valueOf(value);
        KeyValue kv = new KeyValue();
        return tree().putIfAbsent(k, v, kv) ? kv.value : null;
    }

    @Override
    public boolean remove(Object key, Object value) {
        long k = keyOf(key);
        // as ConcurrentSkipListMap: a null value maps to no key, so nothing is removed
        return value instanceof Long v && inView(k) && tree().removeEntry(k, v);
    }

    @Override
    public boolean replace(Long key, Long oldValue, Long newValue) {
        long k = keyOf(key);
        range.check(k); // the range before the values, in ConcurrentSkipListMap's order
        long expected = Objects.requireNonNull(oldValue, "oldValue");
        long update = Objects.requireNonNull(newValue, "newValue");
        return tree().replace(k, expected, update);
    }

    @Override
    public Long replace(Long key, Long value) {
        long k = keyOf(key);
        range.check(k); // the range before the value, in ConcurrentSkipListMap's order
        long v = valueOf(value);
        KeyValue kv = new KeyValue();
        return tree().replace(k, v, kv) ? kv.value : null;
    }

    // Outside the range a key is absent: the functions see it so, and inserting it is refused.

    @Override
    public Long computeIfAbsent(Long key, Function<? super Long, ? extends Long> mappingFunction) {
        long k = keyOf(key);
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        if (inView(k)) {
            return CasRemapping.computeIfAbsent(tree(), k, key, mappingFunction);
        }
        if (mappingFunction.apply(key) != null) {
            throw KeyRange.outOfRange(k);
        }
        return null;
    }

    @Override
    public Long computeIfPresent(Long key, BiFunction<? super Long, ? super Long, ? extends Long> remappingFunction) {
        long k = keyOf(key);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return inView(k) ? CasRemapping.computeIfPresent(tree(), k, key, remappingFunction) : null;
    }

    @Override
    public Long compute(Long key, BiFunction<? super Long, ? super Long, ? extends Long> remappingFunction) {
        long k = keyOf(key);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        if (inView(k)) {
            return CasRemapping.compute(tree(), k, key, remappingFunction);
        }
        if (remappingFunction.apply(key, null) != null) {
            throw KeyRange.outOfRange(k);
        }
        return null;
    }

    @Override
    public Long merge(Long key, Long value, BiFunction<? super Long, ? super Long, ? extends Long> remappingFunction) {
        long k = keyOf(key);
        valueOf(value);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        range.check(k); // an absent key would be inserted
        return CasRemapping.merge(tree(), k, value, remappingFunction);
    }

    @Override
    public void replaceAll(BiFunction<? super Long, ? super Long, ? extends Long> function) {
        Objects.requireNonNull(function, "function");
        CasRemapping.replaceAll(tree(), range, function);
    }

    // ---- SortedMap / NavigableMap ---------------------------------------------------------

    // ---- nested views ---------------------------------------------------------------------

    @Override
    public ConcurrentNavigableMap<Long, Long> subMap(Long fromKey, boolean fromInclusive, Long toKey, boolean toInclusive) {
        long from = Objects.requireNonNull(fromKey, "fromKey");
        long to = Objects.requireNonNull(toKey, "toKey");
        return new CobTreeSubMap(root, range.subRange(true, from, fromInclusive, true, to, toInclusive));
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> headMap(Long toKey, boolean inclusive) {
        long to = Objects.requireNonNull(toKey, "toKey");
        return new CobTreeSubMap(root, range.subRange(false, 0L, false, true, to, inclusive));
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> tailMap(Long fromKey, boolean inclusive) {
        long from = Objects.requireNonNull(fromKey, "fromKey");
        return new CobTreeSubMap(root, range.subRange(true, from, inclusive, false, 0L, false));
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> subMap(Long fromKey, Long toKey) {
        return subMap(fromKey, true, toKey, false);
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> headMap(Long toKey) {
        return headMap(toKey, false);
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> tailMap(Long fromKey) {
        return tailMap(fromKey, true);
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> descendingMap() {
        return new CobTreeSubMap(root, range.reversed());
    }

    /**
     * Whether k is inside this view. A key outside answers "absent" without asking the tree, so
     * the closed check is made here: after close every method throws, as the class promises.
     */
    private boolean inView(long k) {
        if (range.contains(k)) {
            return true;
        }
        tree().checkOpen();
        return false;
    }
}
