package dev.cobtree.bench;

import dev.cobtree.core.CobTree;
import dev.cobtree.storage.HeapCellStoreFactory;
import dev.cobtree.storage.OffHeapCellStoreFactory;

import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The implementations by the name the benchmarks' {@code impl} parameter uses:
 *
 * <ul>
 *   <li>{@code cobtree}: {@link CobTree}, primitive API, cursor scans;</li>
 *   <li>{@code cobtreeSink}: the same tree, scans through {@code forEachInRange} into a primitive sink;</li>
 *   <li>{@code cobtreeOffHeap}: {@link CobTree} with its cells off the heap ({@code OffHeapCellStoreFactory}:
 *       a {@code MemorySegment} per store, an epoch pin per read operation and per cursor step);</li>
 *   <li>{@code cobtreeMap}: {@code dev.cobtree.core.CobTreeMap} as a {@code ConcurrentNavigableMap<Long,Long>},
 *       loaded by name so that this module builds before it exists ({@link #available} says whether it does);</li>
 *   <li>{@code cslmFresh}, {@code cslmCompacted}: {@link ConcurrentSkipListMap ConcurrentSkipListMap<Long,Long>}
 *       with its nodes in insertion order, or after a copying collection (see {@link HeapState});</li>
 *   <li>{@code treeMapRw}: TreeMap under a read-write lock (compacted, like every node-based reference);</li>
 *   <li>{@code avl}: fastutil {@code Long2LongAVLTreeMap}, single-threaded (compacted);</li>
 *   <li>{@code sortedArray}: sorted {@code long[]} keys and values, binary search, array scans (read-only);</li>
 *   <li>{@code eytzinger}: the keys in Eytzinger layout (read-only, lookups only).</li>
 * </ul>
 * Layout study of issue 11 (docs/BENCH.md): {@code cobtreeOld} / {@code cobtreeSinkOld} are
 * {@code cobtree} / {@code cobtreeSink} over the cell layout before issue 11 (interleaved cells,
 * {@code HeapCellStoreFactory.INTERLEAVED}), the same search; {@code cobtreeColumnar} /
 * {@code cobtreeSinkColumnar} over issue 11's first columnar layout (meta words inside each
 * segment, {@code HeapCellStoreFactory.COLUMNAR}); {@code cobtree} itself has the meta words apart.
 */
public final class Candidates {

    public static final String COBTREE_MAP_CLASS = "dev.cobtree.core.CobTreeMap";

    /** Every name, in the order the report lists them. */
    public static final List<String> ALL = List.of(
            "cobtree", "cobtreeSink", "cobtreeOffHeap", "cobtreeMap", "cslmFresh", "cslmCompacted",
            "treeMapRw", "avl", "sortedArray", "eytzinger",
            "cobtreeOld", "cobtreeSinkOld", "cobtreeColumnar", "cobtreeSinkColumnar");

    private Candidates() {
    }

    /** Whether {@code impl} can be built in this JVM (CobTreeMap may not exist yet). */
    public static boolean available(String impl) {
        if (!impl.equals("cobtreeMap")) return ALL.contains(impl);
        try {
            Class.forName(COBTREE_MAP_CLASS);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Whether {@code impl} accepts puts and removes. */
    public static boolean writable(String impl) {
        return !impl.equals("sortedArray") && !impl.equals("eytzinger");
    }

    /** Whether several threads may use {@code impl} at once. */
    public static boolean threadSafe(String impl) {
        return !impl.equals("avl") && !impl.equals("cobtreeSink");
    }

    /** The heap state {@code impl} is measured in. */
    public static HeapMode heapMode(String impl) {
        return switch (impl) {
            case "cslmFresh" -> HeapMode.FRESH;
            case "cslmCompacted", "treeMapRw", "avl" -> HeapMode.COMPACTED;
            default -> HeapMode.NONE;
        };
    }

    /** Where the nodes of a node-based structure are when it is measured. */
    public enum HeapMode {
        /** Insertion order, no copying collection since the build. */
        FRESH,
        /** Traversal order, after a copying collection. */
        COMPACTED,
        /** Not node-based: the collector does not change it. */
        NONE
    }

    /** An empty, writable {@code impl}. */
    public static Candidate empty(String impl) {
        return switch (impl) {
            case "cobtree" -> new CobTreeCandidate(new CobTree());
            case "cobtreeSink" -> new CobTreeSinkCandidate(new CobTree());
            case "cobtreeOffHeap" -> new CobTreeCandidate(CobTree.builder().storage(new OffHeapCellStoreFactory()).build());
            case "cobtreeOld" -> new CobTreeCandidate(CobTree.builder().storage(HeapCellStoreFactory.INTERLEAVED).build());
            case "cobtreeSinkOld" -> new CobTreeSinkCandidate(CobTree.builder().storage(HeapCellStoreFactory.INTERLEAVED).build());
            case "cobtreeColumnar" -> new CobTreeCandidate(CobTree.builder().storage(HeapCellStoreFactory.COLUMNAR).build());
            case "cobtreeSinkColumnar" -> new CobTreeSinkCandidate(CobTree.builder().storage(HeapCellStoreFactory.COLUMNAR).build());
            case "cobtreeMap" -> new NavigableMapCandidate(newCobTreeMap());
            case "cslmFresh", "cslmCompacted" -> new NavigableMapCandidate(new ConcurrentSkipListMap<>());
            case "treeMapRw" -> new LockedTreeMapCandidate();
            case "avl" -> new AvlCandidate();
            case "sortedArray", "eytzinger" ->
                    throw new IllegalArgumentException("impl " + impl + " is read-only: it has no empty state to put into");
            default -> throw new IllegalArgumentException("unknown impl " + impl + "; known: " + ALL);
        };
    }

    /**
     * {@code impl} holding the first {@code count} keys of {@code insertionOrder} (with
     * {@link Keys#valueOf} values), inserted one by one in that (random) order; the read-only
     * layouts are built from the sorted keys instead. No heap state is applied here: see
     * {@link Prebuilt}.
     */
    public static Candidate build(String impl, long[] insertionOrder, int count) {
        if (writable(impl) && bulkLoad() && !impl.equals("cslmFresh")) {
            return buildBulk(impl, insertionOrder, count);
        }
        if (!writable(impl)) {
            long[] sorted = java.util.Arrays.copyOf(insertionOrder, count);
            java.util.Arrays.sort(sorted);
            return impl.equals("sortedArray") ? new SortedArrayCandidate(sorted) : new EytzingerCandidate(sorted);
        }
        Candidate c = empty(impl);
        for (int i = 0; i < count; i++) {
            long k = insertionOrder[i];
            c.put(k, Keys.valueOf(k));
        }
        return c;
    }

    /** The system property that chooses how {@link #build} loads a writable structure: {@code puts} (default) or {@code bulk}. */
    public static final String LOAD_PROPERTY = "cobtree.bench.load";

    /**
     * Whether this JVM builds prebuilt structures the affordable way ({@code -Dcobtree.bench.load=bulk},
     * what {@code Suite --targets} passes at 10^7 keys, where 10^7 random puts take about 30 s for
     * cobtree and almost 3 minutes for a skip list on the 2-core development machine).
     */
    public static boolean bulkLoad() {
        String load = System.getProperty(LOAD_PROPERTY, "puts");
        return switch (load) {
            case "puts" -> false;
            case "bulk" -> true;
            default -> throw new IllegalArgumentException("-D" + LOAD_PROPERTY + "=" + load + " must be puts or bulk");
        };
    }

    /**
     * {@code impl} holding the same keys and values as {@link #build} would give it, loaded the
     * affordable way: cobtree (every store and view) by {@code CobTree.Builder.buildFromSorted}, in
     * O(n) at the density a resize leaves (0.65) instead of wherever random puts left it; a skip
     * list by ascending puts (its shape does not depend on the insertion order: each node's index
     * levels are drawn at random as it is inserted, the same distribution in any order, and a
     * COMPACTED structure is then laid out in traversal order by the collector in either case);
     * TreeMap and the AVL tree by ascending puts (balanced either way, not the same shape).
     * {@code cslmFresh} is never bulk-loaded: its nodes must stay in random insertion order.
     */
    static Candidate buildBulk(String impl, long[] insertionOrder, int count) {
        long[] sorted = java.util.Arrays.copyOf(insertionOrder, count);
        java.util.Arrays.sort(sorted);
        switch (impl) {
            case "cobtree", "cobtreeSink", "cobtreeOffHeap", "cobtreeOld", "cobtreeSinkOld", "cobtreeColumnar", "cobtreeSinkColumnar",
                 "cobtreeMap" -> {
                long[] values = new long[count];
                for (int i = 0; i < count; i++) values[i] = Keys.valueOf(sorted[i]);
                CobTree.Builder b = CobTree.builder();
                if (impl.equals("cobtreeOffHeap")) b.storage(new OffHeapCellStoreFactory());
                if (impl.endsWith("Old")) b.storage(HeapCellStoreFactory.INTERLEAVED);
                if (impl.endsWith("Columnar")) b.storage(HeapCellStoreFactory.COLUMNAR);
                CobTree tree = b.buildFromSorted(sorted, values, 0, count);
                return switch (impl) {
                    case "cobtreeSink", "cobtreeSinkOld", "cobtreeSinkColumnar" -> new CobTreeSinkCandidate(tree);
                    case "cobtreeMap" -> new NavigableMapCandidate(cobTreeMapOver(tree));
                    default -> new CobTreeCandidate(tree);
                };
            }
            default -> {
                Candidate c = empty(impl);
                for (long k : sorted) c.put(k, Keys.valueOf(k));
                return c;
            }
        }
    }

    @SuppressWarnings("unchecked")
    static NavigableMap<Long, Long> cobTreeMapOver(CobTree tree) {
        try {
            return (ConcurrentNavigableMap<Long, Long>) Class.forName(COBTREE_MAP_CLASS).getConstructor(CobTree.class).newInstance(tree);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + COBTREE_MAP_CLASS + " over a CobTree", e);
        }
    }

    @SuppressWarnings("unchecked")
    static NavigableMap<Long, Long> newCobTreeMap() {
        try {
            Object map = Class.forName(COBTREE_MAP_CLASS).getConstructor().newInstance();
            return (ConcurrentNavigableMap<Long, Long>) map;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("impl cobtreeMap needs " + COBTREE_MAP_CLASS
                    + ", which is not in this build of index-core; leave cobtreeMap out of -p impl=...", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + COBTREE_MAP_CLASS + " with its public no-argument constructor", e);
        }
    }
}
