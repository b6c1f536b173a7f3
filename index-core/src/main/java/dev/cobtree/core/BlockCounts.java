package dev.cobtree.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Running sums of segment counts in two levels of blocks (64 segments, and 64 x 64 segments),
 * so that {@code size()} and the density checks of rebalancing and resizing cost
 * O(segments / 4096 + 2 x 64) loads instead of a walk over every segment.
 *
 * <p>A writer that changes the count of segment s (under the lock of s) adds the difference to
 * the two blocks above s with one atomic add each; a rebalance adds the per-block differences of
 * its window. The sums are therefore exact whenever no writer is between its segment update and
 * its block update, in particular whenever the index is quiescent; under concurrent writes they
 * are sums of counts at recent instants. That is enough for {@code size()} (documented as such)
 * and for density decisions (re-checked under the locks), but not for a linearizable count: a
 * block sum and a segment count can only be read at different instants, so ranks, range counts
 * and positions sum validated segment counts instead ({@code Navigator.count}).
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

    long memoryBytes() {
        return 32L + 8L * (level1.length + level2.length);
    }
}
