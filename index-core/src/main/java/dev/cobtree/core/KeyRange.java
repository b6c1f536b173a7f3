package dev.cobtree.core;

import java.io.Serializable;

/**
 * The key bounds and direction of one {@link CobTreeMap} view: an immutable value that turns the
 * view's questions ("first entry", "ceiling of k", "how many entries") into calls on the
 * {@link CobTree} and clamps the answers to the bounds.
 *
 * <p>A bound is kept as given (a key and an inclusive flag), not normalised to a closed
 * interval of longs, so that nested views accept and reject bounds exactly as
 * {@link java.util.concurrent.ConcurrentSkipListMap}'s sub-maps do: a nested bound is out of
 * range when its key lies outside the enclosing bound, or equals an exclusive enclosing bound
 * while itself being inclusive. Methods named {@code lowest/highest/ceiling/floor/higher/lower}
 * answer in ascending key order whatever the direction; the {@code first/last/...InOrder}
 * methods answer in the view's order.
 *
 * <p>The tree is passed in rather than held, so that the range can be serialized with the view
 * that owns it.
 */
final class KeyRange implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Every key, ascending: the range of a {@link CobTreeMap} itself. */
    static final KeyRange ALL = new KeyRange(false, 0L, false, false, 0L, false, false);

    final boolean hasLo;
    final long lo;
    final boolean loInclusive;
    final boolean hasHi;
    final long hi;
    final boolean hiInclusive;
    final boolean descending;

    private KeyRange(boolean hasLo, long lo, boolean loInclusive,
                     boolean hasHi, long hi, boolean hiInclusive, boolean descending) {
        this.hasLo = hasLo;
        this.lo = lo;
        this.loInclusive = loInclusive;
        this.hasHi = hasHi;
        this.hi = hi;
        this.hiInclusive = hiInclusive;
        this.descending = descending;
    }

    boolean isUnbounded() {
        return !hasLo && !hasHi;
    }

    /** {@link #tooHigh}, answering without the tree only if it is open (after close every call throws). */
    private boolean tooHighOpen(CobTree tree, long key) {
        if (tooHigh(key)) {
            tree.checkOpen();
            return true;
        }
        return false;
    }

    /** {@link #tooLow}, with the same closed check. */
    private boolean tooLowOpen(CobTree tree, long key) {
        if (tooLow(key)) {
            tree.checkOpen();
            return true;
        }
        return false;
    }

    boolean tooLow(long key) {
        return hasLo && (key < lo || (key == lo && !loInclusive));
    }

    boolean tooHigh(long key) {
        return hasHi && (key > hi || (key == hi && !hiInclusive));
    }

    boolean contains(long key) {
        return !tooLow(key) && !tooHigh(key);
    }

    /** Whether {@code key} lies past the end of the range in the view's order. */
    boolean pastEnd(long key) {
        return descending ? tooLow(key) : tooHigh(key);
    }

    static IllegalArgumentException outOfRange(long key) {
        return new IllegalArgumentException("key out of range: " + key);
    }

    /** Throws {@link IllegalArgumentException} unless {@code key} lies in the range. */
    void check(long key) {
        if (!contains(key)) {
            throw outOfRange(key);
        }
    }

    // ---- derived ranges -----------------------------------------------------------------------

    /** The same bounds, traversed the other way. */
    KeyRange reversed() {
        return new KeyRange(hasLo, lo, loInclusive, hasHi, hi, hiInclusive, !descending);
    }

    /**
     * The range of a sub-view. {@code from}/{@code to} are in the view's order (so in a descending
     * view {@code from} is the upper key); a missing side inherits this range's bound.
     *
     * @throws IllegalArgumentException if a given bound lies outside this range, or the
     *                                  resulting lower bound is greater than the upper bound
     */
    KeyRange subRange(boolean hasFrom, long from, boolean fromInclusive,
                      boolean hasTo, long to, boolean toInclusive) {
        boolean hasL = hasFrom, lInc = fromInclusive, hasH = hasTo, hInc = toInclusive;
        long l = from, h = to;
        if (descending) { // the view's "from" is the upper bound in key order
            hasL = hasTo; l = to; lInc = toInclusive;
            hasH = hasFrom; h = from; hInc = fromInclusive;
        }
        if (hasLo) {
            if (!hasL) {
                hasL = true; l = lo; lInc = loInclusive;
            } else if (l < lo || (l == lo && !loInclusive && lInc)) {
                throw outOfRange(l);
            }
        }
        if (hasHi) {
            if (!hasH) {
                hasH = true; h = hi; hInc = hiInclusive;
            } else if (h > hi || (h == hi && !hiInclusive && hInc)) {
                throw outOfRange(h);
            }
        }
        if (hasL && hasH && l > h) {
            throw new IllegalArgumentException("inconsistent range: lower bound " + l + " is greater than upper bound " + h);
        }
        return new KeyRange(hasL, l, lInc, hasH, h, hInc, descending);
    }

    // ---- questions in ascending key order -----------------------------------------------------

    boolean lowest(CobTree tree, KeyValue out) {
        boolean found = !hasLo ? tree.first(out) : loInclusive ? tree.ceiling(lo, out) : tree.higher(lo, out);
        return found && !tooHigh(out.key);
    }

    boolean highest(CobTree tree, KeyValue out) {
        boolean found = !hasHi ? tree.last(out) : hiInclusive ? tree.floor(hi, out) : tree.lower(hi, out);
        return found && !tooLow(out.key);
    }

    boolean ceiling(CobTree tree, long key, KeyValue out) {
        if (tooLow(key)) return lowest(tree, out);
        return !tooHighOpen(tree, key) && tree.ceiling(key, out) && !tooHigh(out.key);
    }

    boolean higher(CobTree tree, long key, KeyValue out) {
        if (tooLow(key)) return lowest(tree, out);
        return !tooHighOpen(tree, key) && tree.higher(key, out) && !tooHigh(out.key);
    }

    boolean floor(CobTree tree, long key, KeyValue out) {
        if (tooHigh(key)) return highest(tree, out);
        return !tooLowOpen(tree, key) && tree.floor(key, out) && !tooLow(out.key);
    }

    boolean lower(CobTree tree, long key, KeyValue out) {
        if (tooHigh(key)) return highest(tree, out);
        return !tooLowOpen(tree, key) && tree.lower(key, out) && !tooLow(out.key);
    }

    // ---- questions in the view's order --------------------------------------------------------

    boolean first(CobTree tree, KeyValue out) {
        return descending ? highest(tree, out) : lowest(tree, out);
    }

    boolean last(CobTree tree, KeyValue out) {
        return descending ? lowest(tree, out) : highest(tree, out);
    }

    boolean ceilingInOrder(CobTree tree, long key, KeyValue out) {
        return descending ? floor(tree, key, out) : ceiling(tree, key, out);
    }

    boolean higherInOrder(CobTree tree, long key, KeyValue out) {
        return descending ? lower(tree, key, out) : higher(tree, key, out);
    }

    boolean floorInOrder(CobTree tree, long key, KeyValue out) {
        return descending ? ceiling(tree, key, out) : floor(tree, key, out);
    }

    boolean lowerInOrder(CobTree tree, long key, KeyValue out) {
        return descending ? higher(tree, key, out) : lower(tree, key, out);
    }

    /**
     * Removes the first entry in the view's order and writes it to {@code out}: linearizable, the
     * entry removed is the first of the view at the instant it is removed (see
     * {@code SegmentWriter.pollEdge}).
     */
    boolean pollFirst(CobTree tree, KeyValue out) {
        long from;
        long to;
        if (hasLo) {
            if (!loInclusive && lo == Long.MAX_VALUE) {
                return tree.pollInRange(true, 1, 0, out); // an empty range (still checks the tree is open)
            }
            from = loInclusive ? lo : lo + 1;
        } else {
            from = Long.MIN_VALUE;
        }
        if (hasHi) {
            if (!hiInclusive && hi == Long.MIN_VALUE) {
                return tree.pollInRange(true, 1, 0, out);
            }
            to = hiInclusive ? hi : hi - 1;
        } else {
            to = Long.MAX_VALUE;
        }
        return tree.pollInRange(!descending, from, to, out);
    }

    /** Removes the last entry in the view's order; see {@link #pollFirst}. */
    boolean pollLast(CobTree tree, KeyValue out) {
        return reversed().pollFirst(tree, out);
    }

    // ---- whole-range operations ---------------------------------------------------------------

    /** Entries in the range: the tree's linearizable range count (the whole map: size(), a sum of block counts). */
    long count(CobTree tree) {
        if (isUnbounded()) {
            return tree.size();
        }
        return tree.countRange(hasLo ? lo : Long.MIN_VALUE, !hasLo || loInclusive,
                hasHi ? hi : Long.MAX_VALUE, !hasHi || hiInclusive);
    }

    /** A cursor positioned before the range's first entry in the view's order; stop at {@link #pastEnd}. */
    CobTree.Cursor cursor(CobTree tree) {
        if (descending) {
            return hasHi ? tree.descendingCursor(hi, hiInclusive) : tree.descendingCursor();
        }
        CobTree.Cursor c = hasLo ? tree.cursor(lo, loInclusive) : tree.cursor();
        if (hasHi) {
            c.until = hi; // a batched step reads no segment wholly above the range
        }
        return c;
    }

    /** Removes every entry of the range (each removal atomic; concurrent inserts may survive). */
    void clear(CobTree tree) {
        if (isUnbounded()) {
            tree.clear();
            return;
        }
        CobTree.Cursor c = cursor(tree);
        while (c.next() && !pastEnd(c.key())) {
            tree.remove(c.key(), 0L);
        }
    }

    @Override
    public String toString() {
        return (hasLo ? (loInclusive ? "[" : "(") + lo : "(-inf") + ", "
                + (hasHi ? hi + (hiInclusive ? "]" : ")") : "+inf)") + (descending ? " descending" : "");
    }
}
