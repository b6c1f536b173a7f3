package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.KeyValue;

import java.util.Arrays;
import java.util.Objects;

/**
 * Positional access and counts: the i-th entry, the rank of a key, the number of entries in a
 * range, quantiles and equi-depth histograms of a range.
 *
 * <p>Positions, ranks and counts come from {@link CobTree#select}, {@link CobTree#rank} and
 * {@link CobTree#countRange}, which the tree answers from per-segment entry counts. Quantiles and
 * histograms are <em>strided sampling</em>: one count, then one cursor that
 * {@link CobTree.Cursor#skip skips} from cut position to cut position (each skip jumps whole
 * segments), so a b-bucket histogram of an n-entry range visits b+1 entries and about n/S
 * segment counts, not n entries.
 *
 * <p>Answers are exact when no writer is active; under concurrent writes they are those of the
 * moments the cursor passed (a histogram is then an estimate, still with strictly increasing
 * bounds). Thread-safe: no state but the tree.
 */
public final class Positions {

    private final CobTree tree;

    public Positions(CobTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /**
     * The entry at {@code position} (0-based, ascending) into {@code out}; false if there are
     * not that many entries.
     * @throws IllegalArgumentException if {@code position < 0}
     */
    public boolean select(long position, KeyValue out) {
        checkPosition(position);
        Objects.requireNonNull(out, "out");
        return tree.select(position, out);
    }

    /**
     * The entry at {@code position} (0-based, ascending) within {@code range} into {@code out};
     * false if the range has not that many entries.
     * @throws IllegalArgumentException if {@code position < 0}
     */
    public boolean select(Range range, long position, KeyValue out) {
        Objects.requireNonNull(range, "range");
        checkPosition(position);
        Objects.requireNonNull(out, "out");
        if (range.isEmpty()) {
            checkOpen();
            return false;
        }
        long start = rankOfFirst(range);
        if (position > Long.MAX_VALUE - start) return false;
        return tree.select(start + position, out) && out.key <= range.last() && out.key >= range.first();
    }

    /** Number of keys strictly less than {@code key}. */
    public long rank(long key) {
        return tree.rank(key);
    }

    /** Number of entries in {@code range}. */
    public long count(Range range) {
        Objects.requireNonNull(range, "range");
        if (range.isEmpty()) {
            checkOpen();
            return 0;
        }
        return tree.countRange(range.first(), true, range.last(), true);
    }

    /**
     * The key at fraction {@code q} of {@code range}: the entry at position
     * {@code floor(q * (count - 1))} (q = 0 the first key, 0.5 the lower median, 1 the last),
     * into {@code out}; false if the range is empty.
     * @throws IllegalArgumentException if {@code q} is not in [0, 1]
     */
    public boolean quantile(Range range, double q, KeyValue out) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(out, "out");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile " + q + " must be in [0, 1]");
        long n = count(range);
        if (n == 0) return false;
        return select(range, (long) Math.floor(q * (n - 1)), out);
    }

    /**
     * The {@code parts}-quantiles of {@code range}: {@code parts + 1} keys, the j-th at position
     * {@code floor(j * (count - 1) / parts)} (so the first is the range's least key and the last
     * its greatest); an empty array for an empty range. One strided pass.
     * @throws IllegalArgumentException if {@code parts < 1}
     */
    public long[] quantiles(Range range, int parts) {
        Objects.requireNonNull(range, "range");
        if (parts < 1) throw new IllegalArgumentException("parts " + parts + " must be at least 1");
        long n = count(range);
        if (n == 0) return new long[0];
        long[] keys = new long[parts + 1];
        RangeCursor c = RangeCursor.open(tree, range, Order.ASCENDING);
        if (!c.next()) return new long[0];
        long at = 0;
        for (int j = 0; j <= parts; j++) {
            long p = cut(n - 1, j, parts);
            if (p > at && !c.skip(p - at)) return Arrays.copyOf(keys, j); // shrank under a writer
            at = p;
            keys[j] = c.key();
        }
        return keys;
    }

    /**
     * An equi-depth histogram of {@code range}: {@code min(buckets, count)} buckets of (nearly)
     * equal counts, bucket i holding positions {@code [floor(i*n/b), floor((i+1)*n/b))}.
     * One strided pass.
     * @throws IllegalArgumentException if {@code buckets < 1}
     */
    public Histogram equiDepth(Range range, int buckets) {
        Objects.requireNonNull(range, "range");
        if (buckets < 1) throw new IllegalArgumentException("buckets " + buckets + " must be at least 1");
        long n = count(range);
        if (n == 0) return Histogram.EMPTY;
        int b = (int) Math.min(buckets, n);
        long[] lower = new long[b];
        long[] counts = new long[b];
        RangeCursor c = RangeCursor.open(tree, range, Order.ASCENDING);
        if (!c.next()) return Histogram.EMPTY;
        long at = 0;
        int made = 0;
        long upper = c.key();
        for (int i = 0; i < b; i++) {
            long p = cut(n, i, b);
            if (p > at && !c.skip(p - at)) break; // shrank under a writer: fewer buckets
            at = p;
            lower[i] = c.key();
            upper = c.key();
            counts[i] = cut(n, i + 1, b) - p;
            made++;
        }
        if (made == b && n - 1 > at && c.skip(n - 1 - at)) {
            upper = c.key();
        }
        if (made < b) {
            lower = Arrays.copyOf(lower, made);
            counts = Arrays.copyOf(counts, made);
        }
        return new Histogram(lower, counts, upper);
    }

    /** {@code floor(j * total / parts)} without overflow (j <= parts). */
    static long cut(long total, long j, long parts) {
        long q = total / parts;
        long r = total % parts;
        return j * q + (j * r) / parts;
    }

    /** The position of the range's first key: the number of keys below it. */
    private long rankOfFirst(Range range) {
        return range.first() == Long.MIN_VALUE ? 0 : tree.countRange(Long.MIN_VALUE, true, range.first(), false);
    }

    private void checkOpen() {
        if (tree.isClosed()) throw new IllegalStateException("CobTree is closed");
    }

    static void checkPosition(long position) {
        if (position < 0) throw new IllegalArgumentException("position " + position + " must not be negative");
    }
}
