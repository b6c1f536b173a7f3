package dev.cobtree.bench;

/**
 * Sorted keys rearranged in Eytzinger (BFS, heap) order: node {@code k} has children
 * {@code 2k} and {@code 2k+1}, slot 0 unused. A search walks down touching one slot per level
 * with no data-dependent branch (the comparison result becomes the next index bit), and the top
 * levels of every search share the same few cache lines, which is why it beats binary search
 * on large arrays (Khuong and Morin, "Array layouts for comparison-based searching", 2017).
 *
 * <p>After the walk, the bits of {@code k} below its leading one record the turns taken (1 =
 * right). The answer is the last node where the walk turned the "good" way: shifting out the
 * trailing run of the other turn, plus that turn itself, lands on it.
 */
public final class EytzingerLayout {

    private final long[] tree;
    /** rank[k] = position in sorted order of the key at node k. */
    private final int[] rank;
    private final int n;

    public EytzingerLayout(long[] sorted) {
        this.n = sorted.length;
        this.tree = new long[n + 1];
        this.rank = new int[n + 1];
        fill(sorted);
    }

    /** In-order traversal of the implicit tree assigns the sorted keys (iterative, explicit stack). */
    private void fill(long[] sorted) {
        int[] stack = new int[64];
        int top = 0;
        int k = 1;
        int next = 0;
        while (top > 0 || k <= n) {
            while (k <= n) {
                stack[top++] = k;
                k = 2 * k;
            }
            k = stack[--top];
            tree[k] = sorted[next];
            rank[k] = next;
            next++;
            k = 2 * k + 1;
        }
    }

    public int size() {
        return n;
    }

    /** The key at node {@code k} (1-based). */
    public long keyAt(int node) {
        return tree[node];
    }

    /** Sorted position of the key at node {@code k}. */
    public int rankOf(int node) {
        return rank[node];
    }

    /** Node of the least key &ge; {@code key}, or 0 if none. */
    public int lowerBound(long key) {
        int k = 1;
        while (k <= n) {
            k = 2 * k + (tree[k] < key ? 1 : 0);
        }
        // trailing ones = right turns after the last left turn; drop them and that left turn.
        return k >>> (Integer.numberOfTrailingZeros(~k) + 1);
    }

    /** Node of the greatest key &le; {@code key}, or 0 if none. */
    public int floor(long key) {
        int k = 1;
        while (k <= n) {
            k = 2 * k + (tree[k] <= key ? 1 : 0);
        }
        // trailing zeros = left turns after the last right turn; drop them and that right turn.
        return k >>> (Integer.numberOfTrailingZeros(k) + 1);
    }
}
