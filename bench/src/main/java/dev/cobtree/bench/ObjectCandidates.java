package dev.cobtree.bench;

import dev.cobtree.core.LongObjectTree;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The object-valued implementations ({@link ObjectCandidate}) by the name {@link ValuesBench}'s
 * {@code impl} parameter uses:
 *
 * <ul>
 *   <li>{@code cobtree}: {@link LongObjectTree}, cursor scans;</li>
 *   <li>{@code cobtreeSink}: the same tree, scans through {@code forEachInRange};</li>
 *   <li>{@code cslmFresh}, {@code cslmCompacted}: {@code ConcurrentSkipListMap<Long,Object>} with its
 *       nodes in insertion order, or after a copying collection (see {@link HeapState});</li>
 *   <li>{@code treeMapRw}: {@code TreeMap<Long,Object>} behind a read-write lock (compacted);</li>
 *   <li>{@code avlRw}: fastutil {@code Long2ObjectAVLTreeMap} behind a read-write lock (compacted).</li>
 * </ul>
 */
public final class ObjectCandidates {

    /** Every name, in the order the report lists them. */
    public static final List<String> ALL = List.of("cobtree", "cobtreeSink", "cslmFresh", "cslmCompacted", "treeMapRw", "avlRw");

    private ObjectCandidates() {
    }

    /** The heap state {@code impl} is measured in (the same rule as {@link Candidates#heapMode}). */
    public static Candidates.HeapMode heapMode(String impl) {
        return switch (impl) {
            case "cslmFresh" -> Candidates.HeapMode.FRESH;
            case "cslmCompacted", "treeMapRw", "avlRw" -> Candidates.HeapMode.COMPACTED;
            default -> Candidates.HeapMode.NONE;
        };
    }

    /** An empty {@code impl}. */
    public static ObjectCandidate empty(String impl) {
        return switch (impl) {
            case "cobtree" -> new LongObjectTreeCandidate(new LongObjectTree<>());
            case "cobtreeSink" -> new LongObjectTreeSinkCandidate(new LongObjectTree<>());
            case "cslmFresh", "cslmCompacted" -> new ObjectMapCandidate(new ConcurrentSkipListMap<>());
            case "treeMapRw" -> new ReadWriteLockedCandidate(new ObjectMapCandidate(new TreeMap<>()));
            case "avlRw" -> new ReadWriteLockedCandidate(new AvlObjectCandidate());
            default -> throw new IllegalArgumentException("unknown object-valued impl " + impl + "; known: " + ALL);
        };
    }

    /**
     * {@code impl} holding the first {@code count} keys of {@code insertionOrder}, each with
     * {@link SharedValues#of}, inserted one by one in that (random) order. No heap state is
     * applied here: see {@link Prebuilt}.
     */
    public static ObjectCandidate build(String impl, long[] insertionOrder, int count) {
        ObjectCandidate c = empty(impl);
        for (int i = 0; i < count; i++) {
            long k = insertionOrder[i];
            c.put(k, SharedValues.of(k));
        }
        return c;
    }

    /** {@code impl} built as {@link #build} and kept in its heap state. */
    public static Prebuilt<ObjectCandidate> prebuilt(String impl, long[] insertionOrder, int count) {
        return new Prebuilt<>(impl, heapMode(impl), count, () -> build(impl, insertionOrder, count));
    }

    /* ---- result checks: a candidate that answers wrong measures nothing ---- */

    /** Every hit answers its shared value (the same object), every miss {@code null}. */
    static void checkLookups(String impl, ObjectCandidate c, long[] hits, long[] misses) {
        for (int i = 0; i < Math.min(4096, hits.length); i++) {
            Object got = c.get(hits[i], hits[i]);
            if (got != SharedValues.of(hits[i])) {
                throw new IllegalStateException(impl + ".get(" + hits[i] + ") = " + got + ", expected " + SharedValues.of(hits[i]));
            }
        }
        for (int i = 0; i < Math.min(4096, misses.length); i++) {
            Object got = c.get(misses[i], misses[i]);
            if (got != null) {
                throw new IllegalStateException(impl + ".get(" + misses[i] + ") = " + got + " for an absent key");
            }
        }
    }

    /** The scan of sorted[from..to) (inclusive bounds sorted[from], sorted[to-1]) has the expected checksum. */
    static void checkScan(String impl, ObjectCandidate c, long[] sorted, int from, int to) {
        long expected = SharedValues.expectedChecksum(sorted, from, to);
        long got = c.scan(sorted[from], sorted[to - 1]);
        if (got != expected) {
            throw new IllegalStateException(impl + " scan of [" + sorted[from] + ", " + sorted[to - 1] + "] (" + (to - from)
                    + " entries) has checksum " + got + ", expected " + expected);
        }
    }

    static void checkSize(String impl, ObjectCandidate c, long expected) {
        if (c.size() != expected) {
            throw new IllegalStateException(impl + " holds " + c.size() + " entries, expected " + expected);
        }
    }
}
