package dev.cobtree.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Puts node-based baselines into a known heap state, because their speed depends on where the
 * collector left their nodes (measured here on JDK 25, ParallelGC, 10^6 random keys, full scan
 * of a ConcurrentSkipListMap: ~140 ns per entry as inserted, ~6 ns after one young collection):
 *
 * <ul>
 *   <li><b>fresh</b>: nodes where the allocator put them, i.e. in random insertion order. Only
 *       true until the next <em>young</em> collection: a copying (scavenging) collection
 *       evacuates the live nodes in the order it traces them, which for a linked list is
 *       traversal order. Benchmarks keep a fresh structure fresh by building it into an empty
 *       young generation big enough to hold it (see {@link #JVM_ARGS}), by allocating nothing in
 *       the measured code, and by rebuilding it when {@link #collections()} shows that a
 *       collection ran since the build.</li>
 *   <li><b>compacted</b>: after a copying collection has moved the nodes into traversal order.
 *       Note that {@code System.gc()} alone does not do it: a full collection of ParallelGC,
 *       G1 and Serial slides objects and keeps their address order (measured: no change in scan
 *       speed); so {@link #compact()} forces young collections first, then {@code System.gc()}
 *       twice to settle the survivors.</li>
 * </ul>
 */
public final class HeapState {

    /** Heap flags of every benchmark fork: a young generation that holds a 10^7-entry skip list, fixed sizes. */
    public static final String[] JVM_ARGS = {
        "-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy",
        "--enable-native-access=ALL-UNNAMED"
    };

    /** Heap flags of the short suite: the same shape, smaller (sizes up to 10^6). */
    public static final String[] JVM_ARGS_SHORT = {
        "-Xms3g", "-Xmx3g", "-Xmn1536m", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy",
        "--enable-native-access=ALL-UNNAMED"
    };

    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    @SuppressWarnings("unused")
    private static volatile Object garbageSink;

    private HeapState() {
    }

    /** Collections of any kind so far in this JVM. */
    public static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean b : COLLECTORS) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    /** Collections so far by a young (copying) collector; -1 if this JVM's collector has none we know. */
    public static long youngCollections() {
        long n = -1;
        for (GarbageCollectorMXBean b : COLLECTORS) {
            if (isYoung(b.getName())) {
                n = Math.max(n, 0) + Math.max(0, b.getCollectionCount());
            }
        }
        return n;
    }

    private static boolean isYoung(String name) {
        return name.contains("Scavenge") || name.contains("Young") || name.equals("Copy") || name.contains("ParNew");
    }

    /** A full collection: empties the young generation, so that a fresh build that follows has all of it. */
    public static void quiesce() {
        System.gc();
    }

    /**
     * Moves every live object through a copying collection (traversal order for linked
     * structures), then settles the heap with two full collections.
     */
    public static void compact() {
        for (int i = 0; i < 2; i++) {
            youngCollection();
        }
        System.gc();
        System.gc();
    }

    /** Allocates short-lived garbage until a young collection has run. */
    public static void youngCollection() {
        long before = youngCollections();
        if (before < 0) {
            System.err.println("HeapState: no young collector known in " + names() + "; compacting with System.gc() only");
            System.gc();
            return;
        }
        while (youngCollections() == before) {
            for (int i = 0; i < 1024; i++) {
                garbageSink = new byte[1 << 16];
            }
        }
        garbageSink = null;
    }

    private static String names() {
        StringBuilder sb = new StringBuilder();
        for (GarbageCollectorMXBean b : COLLECTORS) {
            sb.append(sb.isEmpty() ? "" : ", ").append(b.getName());
        }
        return sb.toString();
    }
}
