package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.KeyValue;
import dev.cobtree.core.LongLongReads;

import java.util.Arrays;
import java.util.Objects;

/**
 * Positional access and counts: the i-th entry, the rank of a key, the number of entries in a
 * range, quantiles and equi-depth histograms of a range.
 *
 * <h2>How</h2>
 * Ranks and counts are {@link CobTree#rank} and {@link CobTree#countRange}, which the tree answers
 * from per-segment entry counts. The i-th entry of a range is found <em>by key</em>, never from
 * global ranks: a cursor placed at the range's first key, then {@link CobTree.Cursor#skip skip(i)}
 * (each skip jumps whole segments by their counts: O(i / S) segment headers plus one in-segment
 * search, not i entries). Quantiles and histograms are <em>strided sampling</em>: one count n,
 * then one forward cursor that skips from cut position to cut position, so a b-bucket histogram
 * of an n-entry range visits b+1 entries and about n/S segment counts, not n entries.
 *
 * <h2>Under writers</h2>
 * Why by key: a position taken as "rank of the range's first key + i" adds two global counts
 * taken at different instants, so a writer <em>outside</em> the range (below it) moved the answer.
 * A cursor skip counts only the entries it steps over, all of them between the range's first
 * key and the landing entry (lemma "iterate-by-key", docs/CONCURRENCY.md). Hence:
 * <ul>
 *   <li>{@code count} and {@code rank} are those of the tree: a count the range had at some
 *       instant of the call once {@code CobTree.countRange} is linearizable;</li>
 *   <li>{@code select(range, i)} is exact whenever the range's contents do not change during the
 *       call, whatever writers do outside it; otherwise it returns an entry that was in the range
 *       when the cursor passed it, with i entries of the range passed before it;</li>
 *   <li>{@code quantile(s)} and {@code equiDepth} are exact whenever the range's contents do not
 *       change during the call. Otherwise the cut positions come from the one count n, keys are
 *       in the range and non-decreasing; {@code quantiles} returns {@code parts + 1} keys unless
 *       the range lost entries between the count and the pass (the cursor left the range before
 *       position n - 1), and {@code equiDepth} returns {@code min(buckets, n)} buckets unless it
 *       lost them before a bucket's first position: then fewer, never wrong-placed.</li>
 * </ul>
 * Thread-safe: no state but the tree.
 */
public final class Positions {

    /** The most quantile parts or histogram buckets one call makes (8 MiB of keys for quantiles). */
    public static final int MAX_PARTS = 1 << 20;

    private final LongLongReads tree;

    public Positions(CobTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /** Over a snapshot: every answer is exact for the snapshot's instant (see {@link CobTreeSnapshot}). */
    public Positions(CobTreeSnapshot snapshot) {
        this.tree = Objects.requireNonNull(snapshot, "snapshot");
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
     * false if the range has not that many entries. Found by key (a cursor at the range's first
     * key, then one skip), so exact whenever the range's contents do not change during the call.
     * @throws IllegalArgumentException if {@code position < 0}
     */
    public boolean select(Range range, long position, KeyValue out) {
        Objects.requireNonNull(range, "range");
        checkPosition(position);
        Objects.requireNonNull(out, "out");
        RangeCursor c = RangeCursor.open(tree, range, Order.ASCENDING);
        if (!c.next() || position > 0 && !c.skip(position)) return false;
        out.set(c.key(), c.value());
        return true;
    }

    /** Number of keys strictly less than {@code key}. */
    public long rank(long key) {
        return tree.rank(key);
    }

    /** Number of entries in {@code range}: {@link CobTree#countRange} (see the class comment for writers). */
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
     * into {@code out}; false if the range is empty (or, under writers inside it, lost entries
     * between the count and the pass so that the position no longer exists).
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
     * its greatest); an empty array for an empty range. One count, then one strided pass. Fewer
     * than {@code parts + 1} keys only if writers removed entries of the range during the call
     * (the pass left the range before the counted last position); then the keys of the cut
     * positions it reached.
     * @throws IllegalArgumentException if {@code parts} is not in [1, {@link #MAX_PARTS}]
     */
    public long[] quantiles(Range range, int parts) {
        Objects.requireNonNull(range, "range");
        checkParts("parts", parts);
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
     * One count n, then one strided pass. Fewer buckets only if writers removed entries of the
     * range during the call (the pass left the range before a bucket's first position); bucket
     * counts are those of the cut positions of n.
     * @throws IllegalArgumentException if {@code buckets} is not in [1, {@link #MAX_PARTS}]
     */
    public Histogram equiDepth(Range range, int buckets) {
        Objects.requireNonNull(range, "range");
        checkParts("buckets", buckets);
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

    private static void checkParts(String what, int parts) {
        if (parts < 1 || parts > MAX_PARTS) {
            throw new IllegalArgumentException(what + " " + parts + " must be in [1, " + MAX_PARTS + "]");
        }
    }

    private void checkOpen() {
        Sources.checkOpen(tree);
    }

    static void checkPosition(long position) {
        if (position < 0) throw new IllegalArgumentException("position " + position + " must not be negative");
    }
}
