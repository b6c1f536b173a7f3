package dev.cobtree.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The search tree over the segments' fence keys, laid out in van Emde Boas order: the
 * "cache-oblivious" part of the index.
 *
 * <p>The tree is a complete binary tree with P = 2^h leaves, P the least power of two &ge; the
 * number of segments N; leaf j stands for segment j (leaves j &ge; N are padding). Internal node
 * b (numbered 1..P-1 in heap order) holds the separator {@code lo} of the leftmost leaf of its
 * right subtree: a search for key k goes right iff {@code k >= separator}, and after h steps the
 * heap number of the leaf reached, minus P, is the segment. Padding separators are
 * {@code Long.MAX_VALUE}, so a search that runs into padding is clamped to N-1, which is always
 * correct (see below).
 *
 * <p>Layout: the nodes are stored in vEB order (top half-tree, then each bottom half-tree, each
 * recursively), two longs per node: the separator and the vEB positions of the two children. A
 * root-to-leaf path of h nodes then touches O(h / log B) cache lines for every line size B.
 *
 * <p>Concurrency: the fences in {@link SegmentHeaders} are the truth; this tree is a hint. A
 * rebalance that moves a fence updates the one node whose separator it is (separator of fence j
 * is node {@code ((j + P) >> tz(j)) >> 1}) after writing the fences; readers read separators
 * racily (opaque) and correct a wrong segment by walking left or right on the validated fences.
 */
final class VebLayout {

    private static final VarHandle N = MethodHandles.arrayElementVarHandle(long[].class);

    private final int segments;
    private final int height;
    private final int leaves;
    /** vEB position of heap node b (1-based), for writers. */
    private final int[] position;
    /** nodes[2p] = separator, nodes[2p+1] = leftPos << 32 | rightPos. */
    private final long[] nodes;

    /** A tree over {@code segments} segments whose separators start as {@code Long.MAX_VALUE}. */
    VebLayout(int segments) {
        this.segments = segments;
        int p = 1;
        int h = 0;
        while (p < segments) {
            p <<= 1;
            h++;
        }
        this.leaves = p;
        this.height = h;
        int internal = p - 1;
        this.position = new int[p];
        this.nodes = new long[2 * Math.max(internal, 1)];
        if (internal > 0) {
            int[] next = {0};
            assign(1, h, next);
            for (int b = 1; b < p; b++) {
                int pos = position[b];
                nodes[2 * pos] = Long.MAX_VALUE;
                if (2 * b < p) {
                    nodes[2 * pos + 1] = ((long) position[2 * b] << 32) | position[2 * b + 1];
                }
            }
        }
    }

    /** Gives the subtree of {@code levels} levels rooted at heap node {@code root} its vEB positions. */
    private void assign(int root, int levels, int[] next) {
        if (levels == 1) {
            position[root] = next[0]++;
            return;
        }
        int top = levels / 2;
        int bottom = levels - top;
        assign(root, top, next);
        int first = root << top;
        for (int i = 0; i < (1 << top); i++) {
            assign(first + i, bottom, next);
        }
    }

    /** The segment whose range probably holds {@code key}. Never out of [0, segments). */
    int find(long key) {
        long[] t = nodes;
        int p = 0;
        int b = 1;
        for (int d = 0; d < height; d++) {
            // opaque: atomic and re-read; ordering is not needed, the fences are validated later
            long sep = (long) N.getOpaque(t, 2 * p);
            int right = key >= sep ? 1 : 0;
            b = (b << 1) | right;
            // branch-free child choice: shift the right child's position (low half) into place,
            // or the left child's (high half); random keys would mispredict a branch half the time
            p = (int) (t[2 * p + 1] >>> ((right ^ 1) << 5));
        }
        int j = b - leaves;
        return j < segments ? j : segments - 1;
    }

    /** Records that segment j (1 &le; j &lt; segments) now starts at {@code lo}. */
    void setFence(int j, long lo) {
        int b = ((j + leaves) >> Integer.numberOfTrailingZeros(j)) >> 1;
        // release: a reader that sees the new separator also sees the fences written before it
        N.setRelease(nodes, 2 * position[b], lo);
    }

    /** Plain version for a tree no other thread can see yet. */
    void setFenceUnpublished(int j, long lo) {
        int b = ((j + leaves) >> Integer.numberOfTrailingZeros(j)) >> 1;
        nodes[2 * position[b]] = lo;
    }

    long memoryBytes() {
        return 32L + 8L * nodes.length + 4L * position.length;
    }
}
