package dev.cobtree.query;

import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * A set of non-empty {@link Range}s that finds every range containing a key in
 * O((1 + found) · log n): the interval index of a {@link FilterCache}, so that a write costs the
 * ranges it touches, not one test per cached range.
 *
 * <p>An <em>augmented treap</em>: a binary search tree ordered by {@code (first, last)}, balanced
 * in expectation by random heap priorities (split/merge), where each node also keeps
 * {@code maxLast}, the greatest {@code last} in its subtree. A stabbing query for key k:
 * <ul>
 *   <li>skips a subtree whose {@code maxLast < k} (no range there reaches k);</li>
 *   <li>otherwise searches the left subtree, reports the node if {@code first <= k <= last},
 *       and searches the right subtree only if {@code first <= k} (right of a node every range
 *       starts after it).</li>
 * </ul>
 * Where it enters a left subtree with {@code first <= k} at its root, that subtree holds a range
 * containing k (its {@code maxLast >= k} and every first there is at most the root's), so all
 * steps but those down one search path for k end at a reported range: O(depth · (1 + found)).
 *
 * <p>Not thread-safe: the cache uses it under its gate.
 */
final class CachedRanges {

    private static final class Node {
        final Range range;
        final long first;
        final long last;
        final int priority;
        long maxLast;
        Node left;
        Node right;

        Node(Range range, int priority) {
            this.range = range;
            this.first = range.first();
            this.last = range.last();
            this.priority = priority;
            this.maxLast = last;
        }
    }

    private Node root;
    private int size;
    private long seed = 0x9E3779B97F4A7C15L;

    int size() {
        return size;
    }

    boolean contains(Range r) {
        Node x = root;
        while (x != null) {
            int c = compare(r.first(), r.last(), x);
            if (c == 0) return true;
            x = c < 0 ? x.left : x.right;
        }
        return false;
    }

    /** Adds {@code r} (non-empty); false if it was there. */
    boolean add(Range r) {
        if (r.isEmpty()) throw new IllegalArgumentException("empty range " + r + " cannot be cached");
        if (contains(r)) return false;
        Node n = new Node(r, nextPriority());
        Node[] lr = split(root, r.first(), r.last());
        root = merge(merge(lr[0], n), lr[1]);
        size++;
        return true;
    }

    /** Removes {@code r}; false if it was not there. */
    boolean remove(Range r) {
        if (r.isEmpty() || !contains(r)) return false;
        root = remove(root, r.first(), r.last());
        size--;
        return true;
    }

    /** Removes every range containing {@code key}, handing each to {@code removed}. */
    void removeContaining(long key, Consumer<Range> removed) {
        ArrayList<Range> found = new ArrayList<>();
        collect(root, key, found);
        for (Range r : found) {
            root = remove(root, r.first(), r.last());
            size--;
            removed.accept(r);
        }
    }

    void clear() {
        root = null;
        size = 0;
    }

    /* ---- treap ---- */

    private static void collect(Node x, long key, ArrayList<Range> out) {
        while (x != null && x.maxLast >= key) {
            collect(x.left, key, out);
            if (x.first > key) return;           // x and everything right of it start after key
            if (x.last >= key) out.add(x.range);
            x = x.right;                         // the right spine as a loop: recursion depth = left turns
        }
    }

    /** Order by first, then last. */
    private static int compare(long first, long last, Node x) {
        int c = Long.compare(first, x.first);
        return c != 0 ? c : Long.compare(last, x.last);
    }

    /** Splits into ranges ordered before {@code (first, last)} and the others. */
    private static Node[] split(Node x, long first, long last) {
        if (x == null) return new Node[2];
        if (compare(first, last, x) > 0) {
            Node[] lr = split(x.right, first, last);
            x.right = lr[0];
            update(x);
            lr[0] = x;
            return lr;
        }
        Node[] lr = split(x.left, first, last);
        x.left = lr[1];
        update(x);
        lr[1] = x;
        return lr;
    }

    /** Joins two treaps, every range of {@code a} ordered before every range of {@code b}. */
    private static Node merge(Node a, Node b) {
        if (a == null) return b;
        if (b == null) return a;
        if (a.priority > b.priority) {
            a.right = merge(a.right, b);
            update(a);
            return a;
        }
        b.left = merge(a, b.left);
        update(b);
        return b;
    }

    private static Node remove(Node x, long first, long last) {
        int c = compare(first, last, x);
        if (c == 0) return merge(x.left, x.right);
        if (c < 0) x.left = remove(x.left, first, last);
        else x.right = remove(x.right, first, last);
        update(x);
        return x;
    }

    private static void update(Node x) {
        long m = x.last;
        if (x.left != null && x.left.maxLast > m) m = x.left.maxLast;
        if (x.right != null && x.right.maxLast > m) m = x.right.maxLast;
        x.maxLast = m;
    }

    private int nextPriority() {
        seed += 0x9E3779B97F4A7C15L; // splitmix64: priorities independent of the ranges' order
        long z = seed;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31));
    }
}
