package dev.cobtree.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Running sums of segment counts in two levels of blocks (64 segments, and 64 x 64 segments),
 * so that {@code size()}, the rank of a key, the count of a range and the i-th entry cost
 * O(segments / 4096 + 2 x 64) loads instead of a walk over every segment.
 *
 * <p>A writer that changes the count of segment s (under the lock of s) adds the difference to
 * the two blocks above s with one atomic add each; a rebalance adds the per-block differences of
 * its window. The sums are therefore exact whenever no writer is between its segment update and
 * its block update, in particular whenever the index is quiescent; under concurrent writes they
 * are the sums of counts at some recent instants, which is all a concurrent count can promise.
 */
final class BlockCounts {

    static final int SHIFT1 = 6;   // 64 segments per block
    static final int SHIFT2 = 12;  // 4096 segments per super-block

    private static final VarHandle A = MethodHandles.arrayElementVarHandle(long[].class);

    private final SegmentHeaders headers;
    private final long[] level1;
    private final long[] level2;

    BlockCounts(SegmentHeaders headers) {
        this.headers = headers;
        int n = headers.segments;
        this.level1 = new long[((n - 1) >> SHIFT1) + 1];
        this.level2 = new long[((n - 1) >> SHIFT2) + 1];
    }

    /** Adds {@code delta} to the blocks of segment s (volatile atomic adds: no update is lost). */
    void add(int s, long delta) {
        if (delta != 0) {
            A.getAndAdd(level1, s >> SHIFT1, delta);
            A.getAndAdd(level2, s >> SHIFT2, delta);
        }
    }

    /** Plain adds for a storage no other thread can see yet. */
    void addUnpublished(int s, long delta) {
        level1[s >> SHIFT1] += delta;
        level2[s >> SHIFT2] += delta;
    }

    /** Number of entries in all segments. */
    long total() {
        long sum = 0;
        for (int i = 0; i < level2.length; i++) {
            sum += (long) A.getOpaque(level2, i);
        }
        return sum;
    }

    /** Number of entries in segments [0, s). */
    long prefix(int s) {
        long sum = 0;
        int b2 = s >> SHIFT2;
        for (int i = 0; i < b2; i++) {
            sum += (long) A.getOpaque(level2, i);
        }
        int from1 = b2 << (SHIFT2 - SHIFT1);
        int b1 = s >> SHIFT1;
        for (int i = from1; i < b1; i++) {
            sum += (long) A.getOpaque(level1, i);
        }
        for (int j = b1 << SHIFT1; j < s; j++) {
            sum += headers.count(j);
        }
        return sum;
    }

    /** Number of entries in segments [a, b). */
    long sum(int a, int b) {
        return prefix(b) - prefix(a);
    }

    /**
     * The segment holding the entry at position {@code index}, packed with the position inside
     * it as {@code segment << 32 | offset}; -1 if {@code index} is at or past the end.
     */
    long select(long index) {
        long left = index;
        int i2 = 0;
        for (; i2 < level2.length; i2++) {
            long c = (long) A.getOpaque(level2, i2);
            if (left < c) {
                break;
            }
            left -= c;
        }
        if (i2 == level2.length) {
            return -1;
        }
        int i1 = i2 << (SHIFT2 - SHIFT1);
        int end1 = Math.min(level1.length, (i2 + 1) << (SHIFT2 - SHIFT1));
        for (; i1 < end1 - 1; i1++) {
            long c = (long) A.getOpaque(level1, i1);
            if (left < c) {
                break;
            }
            left -= c;
        }
        int s = i1 << SHIFT1;
        int end0 = Math.min(headers.segments, (i1 + 1) << SHIFT1);
        for (; s < end0 - 1; s++) {
            int c = headers.count(s);
            if (left < c) {
                break;
            }
            left -= c;
        }
        return ((long) s << 32) | (left & 0xFFFF_FFFFL);
    }

    long memoryBytes() {
        return 32L + 8L * (level1.length + level2.length);
    }
}
