package dev.cobtree.core;

import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link ConcurrentNavigableMap ConcurrentNavigableMap&lt;Long, Long&gt;} over a {@link CobTree}:
 * a drop-in for {@code ConcurrentSkipListMap<Long, Long>} in natural key order.
 *
 * <h2>How the map maps onto the tree</h2>
 * Every method is one or a few calls of the tree's public primitive API; the map adds only
 * boxing, argument checks and range clamping:
 * <ul>
 * <li>point operations ({@code get, put, remove, putIfAbsent, replace, remove(k, v)}) are the
 *     tree's atomic primitives of the same name, so they are linearizable;</li>
 * <li>{@code compute, computeIfAbsent, computeIfPresent, merge, replaceAll} are compare-and-set
 *     retry loops over those primitives ({@link CasRemapping}), atomic in the
 *     {@link java.util.concurrent.ConcurrentMap} sense (the function may be applied more than
 *     once under contention);</li>
 * <li>navigation ({@code floor/ceiling/higher/lower/first/last/poll}) is the tree's navigation;
 *     iterators and {@code forEach} run a weakly consistent {@link CobTree.Cursor};</li>
 * <li>{@code size()} is {@link CobTree#size()} saturated at {@link Integer#MAX_VALUE}, and the
 *     {@code size()} of a sub-map is {@link CobTree#countRange}, linearizable, one header line per segment rather
 *     than the O(n) walk of a skip list's sub-map.</li>
 * </ul>
 * Views ({@link #subMap}, {@link #headMap}, {@link #tailMap}, {@link #descendingMap}, the key
 * set, entry set and values) are backed by the same tree; a view's {@link KeyRange} clamps its
 * answers to its bounds, and nested views check their bounds exactly as ConcurrentSkipListMap's
 * do ({@link IllegalArgumentException} "key out of range").
 *
 * <h2>Guarantees and differences from ConcurrentSkipListMap</h2>
 * Keys and values are never null: every method given a null key or value (including queries
 * such as {@code containsKey(null)} and {@code containsValue(null)}) throws
 * {@link NullPointerException}, except {@code remove(k, null)}, which returns false as
 * ConcurrentSkipListMap's does (no entry maps to null). A key that is not a {@link Long} throws
 * {@link ClassCastException}. Iterators are weakly consistent: they never throw
 * {@link java.util.ConcurrentModificationException}, return each key at most once in order, see
 * every entry present for the whole iteration and may or may not see concurrent changes;
 * {@link java.util.Iterator#remove} removes the last returned key. Entries are immutable
 * snapshots ({@code setValue} throws {@link UnsupportedOperationException}). Bulk operations
 * ({@code putAll}, {@code clear} of a view, {@code equals}) are not atomic. The map is
 * serializable: it is written as its entries and read back into a new heap index with the same
 * segment size. Once {@linkplain CobTree#close() the tree is closed} every method throws
 * {@link IllegalStateException}.
 */
public final class CobTreeMap extends AbstractMap<Long, Long>
        implements ConcurrentNavigableMap<Long, Long>, Serializable {

    private static final long serialVersionUID = 1L;

    private final transient CobTree tree;
    // Views are stateless, so a racy lazy cache is harmless.
    private transient CobTreeKeySet keySet;
    private transient CobTreeEntrySet entrySet;
    private transient CobTreeValues values;
    private transient CobTreeSubMap descendingMap;

    /** An empty map over a new heap index with the default segment size. */
    public CobTreeMap() {
        this(new CobTree());
    }

    /** A map over {@code tree}; the map and direct users of the tree see the same entries. */
    public CobTreeMap(CobTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /**
     * A new heap-backed map holding the entries of {@code m}.
     *
     * @throws NullPointerException if {@code m} or any of its keys or values is null
     */
    public CobTreeMap(Map<? extends Long, ? extends Long> m) {
        this(new CobTree());
        putAll(m);
    }

    /** The index behind this map. */
    public CobTree tree() {
        return tree;
    }

    // ---- argument checks and conversions --------------------------------------------------

    /** The key as a long: {@link NullPointerException} for null, {@link ClassCastException} for non-Long. */
    static long keyOf(Object key) {
        return (Long) Objects.requireNonNull(key, "key");
    }

    static long valueOf(Long value) {
        return Objects.requireNonNull(value, "value");
    }

    static Map.Entry<Long, Long> entry(KeyValue kv) {
        return new AbstractMap.SimpleImmutableEntry<>(kv.key, kv.value);
    }

    static int saturated(long n) {
        return n >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    // ---- Map ------------------------------------------------------------------------------

    @Override
    public int size() {
        return saturated(tree.size());
    }

    @Override
    public boolean isEmpty() {
        return tree.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return tree.containsKey(keyOf(key));
    }

    @Override
    public Long get(Object key) {
        long k = keyOf(key);
        KeyValue kv = new KeyValue();
        return tree.get(k, kv) ? kv.value : null;
    }

    @Override
    public Long put(Long key, Long value) {
        long k = keyOf(key), v = valueOf(value);
        KeyValue kv = new KeyValue();
        return tree.put(k, v, kv) ? kv.value : null;
    }

    @Override
    public Long remove(Object key) {
        long k = keyOf(key);
        KeyValue kv = new KeyValue();
        return tree.remove(k, kv) ? kv.value : null;
    }

    /**
     * Copies every entry of {@code m}. The entries are read and checked first, so a null key or
     * value fails the call before anything is written; the writes themselves are not atomic.
     */
    @Override
    public void putAll(Map<? extends Long, ? extends Long> m) {
        putAll(tree, KeyRange.ALL, m);
    }

    /**
     * Reads and checks every entry of {@code m} (nulls, and keys outside {@code range}), then
     * writes them: a bad entry fails the call before anything is written.
     */
    static void putAll(CobTree tree, KeyRange range, Map<? extends Long, ? extends Long> m) {
        Objects.requireNonNull(m, "map");
        long[] keys = new long[Math.max(16, m.size())];
        long[] vals = new long[keys.length];
        int n = 0;
        for (Map.Entry<? extends Long, ? extends Long> e : m.entrySet()) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                vals = Arrays.copyOf(vals, n * 2);
            }
            long k = keyOf(e.getKey());
            vals[n] = valueOf(e.getValue());
            range.check(k);
            keys[n++] = k;
        }
        for (int i = 0; i < n; i++) {
            tree.put(keys[i], vals[i], 0L);
        }
    }

    @Override
    public void clear() {
        tree.clear();
    }

    /** Whether some key maps to {@code value}: a scan, O(n). */
    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        if (!(value instanceof Long v)) {
            return false;
        }
        CobTree.Cursor c = tree.cursor();
        while (c.next()) {
            if (c.value() == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public NavigableSet<Long> keySet() {
        CobTreeKeySet ks = keySet;
        return ks != null ? ks : (keySet = new CobTreeKeySet(this, tree, KeyRange.ALL));
    }

    @Override
    public NavigableSet<Long> navigableKeySet() {
        return keySet();
    }

    @Override
    public NavigableSet<Long> descendingKeySet() {
        return descendingMap().navigableKeySet();
    }

    @Override
    public Set<Map.Entry<Long, Long>> entrySet() {
        CobTreeEntrySet es = entrySet;
        return es != null ? es : (entrySet = new CobTreeEntrySet(this, tree, KeyRange.ALL));
    }

    @Override
    public Collection<Long> values() {
        CobTreeValues vs = values;
        return vs != null ? vs : (values = new CobTreeValues(this, tree, KeyRange.ALL));
    }

    @Override
    public void forEach(BiConsumer<? super Long, ? super Long> action) {
        Objects.requireNonNull(action, "action");
        CobTree.Cursor c = tree.cursor();
        while (c.next()) {
            action.accept(c.key(), c.value());
        }
    }

    // ---- ConcurrentMap --------------------------------------------------------------------

    @Override
    public Long putIfAbsent(Long key, Long value) {
        long k = keyOf(key), v = valueOf(value);
        KeyValue kv = new KeyValue();
        return tree.putIfAbsent(k, v, kv) ? kv.value : null;
    }

    @Override
    public boolean remove(Object key, Object value) {
        long k = keyOf(key);
        // as ConcurrentSkipListMap: a null value maps to no key, so nothing is removed
        return value instanceof Long v && tree.removeEntry(k, v);
    }

    @Override
    public boolean replace(Long key, Long oldValue, Long newValue) {
        long k = keyOf(key);
        long expected = Objects.requireNonNull(oldValue, "oldValue");
        long update = Objects.requireNonNull(newValue, "newValue");
        return tree.replace(k, expected, update);
    }

    @Override
    public Long replace(Long key, Long value) {
        long k = keyOf(key), v = valueOf(value);
        KeyValue kv = new KeyValue();
        return tree.replace(k, v, kv) ? kv.value : null;
    }

    @Override
    public Long computeIfAbsent(Long key, Function<? super Long, ? extends Long> mappingFunction) {
        long k = keyOf(key);
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        return CasRemapping.computeIfAbsent(tree, k, key, mappingFunction);
    }

    @Override
    public Long computeIfPresent(Long key, BiFunction<? super Long, ? super Long, ? extends Long> remappingFunction) {
        long k = keyOf(key);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return CasRemapping.computeIfPresent(tree, k, key, remappingFunction);
    }

    @Override
    public Long compute(Long key, BiFunction<? super Long, ? super Long, ? extends Long> remappingFunction) {
        long k = keyOf(key);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return CasRemapping.compute(tree, k, key, remappingFunction);
    }

    @Override
    public Long merge(Long key, Long value, BiFunction<? super Long, ? super Long, ? extends Long> remappingFunction) {
        long k = keyOf(key);
        valueOf(value);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return CasRemapping.merge(tree, k, value, remappingFunction);
    }

    @Override
    public void replaceAll(BiFunction<? super Long, ? super Long, ? extends Long> function) {
        Objects.requireNonNull(function, "function");
        CasRemapping.replaceAll(tree, KeyRange.ALL, function);
    }

    // ---- SortedMap / NavigableMap ---------------------------------------------------------

    /** Always null: keys are in natural (signed long) order. */
    @Override
    public Comparator<? super Long> comparator() {
        return null;
    }

    @Override
    public Long firstKey() {
        KeyValue kv = new KeyValue();
        if (!tree.first(kv)) {
            throw new NoSuchElementException("map is empty");
        }
        return kv.key;
    }

    @Override
    public Long lastKey() {
        KeyValue kv = new KeyValue();
        if (!tree.last(kv)) {
            throw new NoSuchElementException("map is empty");
        }
        return kv.key;
    }

    @Override
    public Map.Entry<Long, Long> firstEntry() {
        KeyValue kv = new KeyValue();
        return tree.first(kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, Long> lastEntry() {
        KeyValue kv = new KeyValue();
        return tree.last(kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, Long> pollFirstEntry() {
        KeyValue kv = new KeyValue();
        return tree.pollFirst(kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, Long> pollLastEntry() {
        KeyValue kv = new KeyValue();
        return tree.pollLast(kv) ? entry(kv) : null;
    }

    @Override
    public Map.Entry<Long, Long> lowerEntry(Long key) {
        KeyValue kv = new KeyValue();
        return tree.lower(keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long lowerKey(Long key) {
        KeyValue kv = new KeyValue();
        return tree.lower(keyOf(key), kv) ? kv.key : null;
    }

    @Override
    public Map.Entry<Long, Long> floorEntry(Long key) {
        KeyValue kv = new KeyValue();
        return tree.floor(keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long floorKey(Long key) {
        KeyValue kv = new KeyValue();
        return tree.floor(keyOf(key), kv) ? kv.key : null;
    }

    @Override
    public Map.Entry<Long, Long> ceilingEntry(Long key) {
        KeyValue kv = new KeyValue();
        return tree.ceiling(keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long ceilingKey(Long key) {
        KeyValue kv = new KeyValue();
        return tree.ceiling(keyOf(key), kv) ? kv.key : null;
    }

    @Override
    public Map.Entry<Long, Long> higherEntry(Long key) {
        KeyValue kv = new KeyValue();
        return tree.higher(keyOf(key), kv) ? entry(kv) : null;
    }

    @Override
    public Long higherKey(Long key) {
        KeyValue kv = new KeyValue();
        return tree.higher(keyOf(key), kv) ? kv.key : null;
    }

    // ---- views ----------------------------------------------------------------------------

    @Override
    public ConcurrentNavigableMap<Long, Long> subMap(Long fromKey, boolean fromInclusive, Long toKey, boolean toInclusive) {
        long from = Objects.requireNonNull(fromKey, "fromKey");
        long to = Objects.requireNonNull(toKey, "toKey");
        return new CobTreeSubMap(this, KeyRange.ALL.subRange(true, from, fromInclusive, true, to, toInclusive));
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> headMap(Long toKey, boolean inclusive) {
        long to = Objects.requireNonNull(toKey, "toKey");
        return new CobTreeSubMap(this, KeyRange.ALL.subRange(false, 0L, false, true, to, inclusive));
    }

    @Override
    public ConcurrentNavigableMap<Long, Long> tailMap(Long fromKey, boolean inclusive) {
        long from = Objects.requireNonNull(fromKey, "fromKey");
        return new CobTreeSubMap(this, KeyRange.ALL.subRange(true, from, inclusive, false, 0L, false));
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
        CobTreeSubMap dm = descendingMap;
        return dm != null ? dm : (descendingMap = new CobTreeSubMap(this, KeyRange.ALL.reversed()));
    }

    // ---- serialization --------------------------------------------------------------------

    private Object writeReplace() throws ObjectStreamException {
        return new SerializedForm(this);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("CobTreeMap is read through its serialized form");
    }

    /** The entries in ascending key order and the segment size: what a copy needs. */
    private static final class SerializedForm implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final int MAX_ENTRIES = Integer.MAX_VALUE - 8;

        private final int segmentSize;
        private final long[] keys;
        private final long[] values;

        SerializedForm(CobTreeMap map) throws NotSerializableException {
            CobTree t = map.tree;
            int n = 0;
            long[] ks = new long[(int) Math.min(Math.max(16, t.size()), MAX_ENTRIES)];
            long[] vs = new long[ks.length];
            CobTree.Cursor c = t.cursor();
            while (c.next()) {
                if (n == ks.length) {
                    if (n == MAX_ENTRIES) {
                        throw new NotSerializableException("CobTreeMap with more than " + MAX_ENTRIES + " entries");
                    }
                    int grown = (int) Math.min((long) n * 2, MAX_ENTRIES);
                    ks = Arrays.copyOf(ks, grown);
                    vs = Arrays.copyOf(vs, grown);
                }
                ks[n] = c.key();
                vs[n++] = c.value();
            }
            this.segmentSize = t.segmentSize();
            this.keys = Arrays.copyOf(ks, n);
            this.values = Arrays.copyOf(vs, n);
        }

        private Object readResolve() throws ObjectStreamException {
            if (keys == null || values == null || keys.length != values.length) {
                throw new InvalidObjectException("CobTreeMap stream has mismatched keys and values");
            }
            try {
                return new CobTreeMap(CobTree.builder().segmentSize(segmentSize).buildFromSorted(keys, values, 0, keys.length));
            } catch (IllegalArgumentException e) {
                InvalidObjectException x = new InvalidObjectException("corrupt CobTreeMap stream: " + e.getMessage());
                x.initCause(e);
                throw x;
            }
        }
    }
}
