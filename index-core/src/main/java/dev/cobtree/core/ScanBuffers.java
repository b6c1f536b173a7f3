package dev.cobtree.core;

import java.util.Arrays;

/**
 * Buffers lent, one set per thread, to the cursor of a range scan ({@link LongObjectTree#forEachInRange},
 * {@link CobTree#forEachInRange}), so that a scan allocates no key, value and reference buffers
 * and never grows them (issue 12, scan target): a fresh {@link CobTree.Cursor} allocates one
 * segment's buffers and then copies them into batch-sized ones on its second step, 12-16 KB
 * allocated and zeroed per scan at the default segment size (for the planner of a table index,
 * which scans a short range per predicate, that zeroing measured 8% of a query).
 *
 * <p><b>No dead value kept reachable.</b> The reference buffer holds, while a scan runs, the
 * references of the segment snapshots it is emitting (at most one batched step: {@link #cells}
 * cells). {@link #giveBack} nulls every slot a step wrote (up to the scan's high-water mark)
 * before the buffers can be lent again, and the scan calls it in a {@code finally}, so once
 * {@code forEachInRange} returns or throws, the buffers of its thread hold no reference at all;
 * what stays is {@code long} keys and the batch records. The keys and references are copies
 * made under the cursor's seqlock protocol exactly as with a cursor's own buffers
 * ({@link Navigator#fill}); lending changes where they are written, not how.
 *
 * <p>A sink that starts another scan on the same thread (nested, on any tree) finds the buffers
 * lent and gets {@code null}: that scan uses a cursor with its own buffers. Sizes follow the
 * largest segment size a thread has scanned (at most 4,096 cells: 32 KB of keys, 32 KB of values
 * and 16 KB of references with compressed oops); a thread's buffers go when the thread does.
 */
final class ScanBuffers {

    private static final ThreadLocal<ScanBuffers> LOCAL = ThreadLocal.withInitial(ScanBuffers::new);

    long[] keys = new long[0];
    long[] values = new long[0]; // a long-valued tree's scan
    Object[] refs = new Object[0]; // an object-valued tree's scan
    /** The batch records of {@link Navigator#extendAscending} (one per batched segment after the first). */
    long[] batchWord;
    int[] batchCount;
    long[] batchFence;
    private boolean lent;

    private ScanBuffers() {
    }

    /** Cells one step of a cursor over {@code segmentSize}-cell segments fills at most. */
    static int cells(int segmentSize) {
        return segmentSize * Navigator.batchSegments(segmentSize);
    }

    /**
     * This thread's buffers, sized for {@code segmentSize}-cell segments, or null if a scan of this
     * thread holds them already. The caller must {@link #giveBack} them in a {@code finally}.
     */
    static ScanBuffers borrow(int segmentSize) {
        ScanBuffers b = LOCAL.get();
        if (b.lent) {
            return null;
        }
        int cells = cells(segmentSize);
        if (b.keys.length < cells) {
            b.keys = new long[cells];
            b.values = new long[cells];
            b.refs = new Object[cells];
        }
        int records = Navigator.batchSegments(segmentSize) - 1;
        if (records > 0 && (b.batchWord == null || b.batchWord.length < records)) {
            b.batchWord = new long[records];
            b.batchCount = new int[records];
            b.batchFence = new long[records];
        }
        b.lent = true;
        return b;
    }

    /** Nulls the reference slots {@code [0, used)} (every slot the scan wrote) and takes the buffers back. */
    void giveBack(int used) {
        Arrays.fill(refs, 0, used, null);
        lent = false;
    }

    /** Whether this thread's reference buffer holds no reference (tests). */
    static boolean clearOnThisThread() {
        for (Object r : LOCAL.get().refs) {
            if (r != null) {
                return false;
            }
        }
        return true;
    }
}
