package dev.cobtree.query;

import dev.cobtree.core.LongLongConsumer;
import org.roaringbitmap.ArrayContainer;
import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;

/**
 * A growable array of row ids, filled from a {@link WideKeyIndex}'s first slots, lists and
 * bitmaps in key order ({@link WideKeyIndex#collectRows}), then sorted and made distinct (all of
 * them before a probe that tests many rows of each page, or only the rows that passed a sparse
 * probe: see {@code QueryPlanner.drive}) and turned into a {@link RoaringBitmap} a container at a
 * time ({@link #toBitmap(int[], int)}). For the non-negative row ids of a {@link TableIndex} only
 * (sorted as signed ints). Not thread-safe; one per query.
 */
final class RowBuffer implements LongLongConsumer {

    int[] rows;
    int size;

    RowBuffer(long expected) {
        rows = new int[(int) Math.max(16, Math.min(expected + 16, 1 << 20))];
    }

    @Override
    public void accept(long key, long rowId) {
        if (size == rows.length) grow(size + 1);
        rows[size++] = (int) rowId;
    }

    void addAll(int[] a) {
        if (size + a.length > rows.length) grow(size + a.length);
        System.arraycopy(a, 0, rows, size, a.length);
        size += a.length;
    }

    /** Appends the bitmap's rows, ascending: a container at a time ({@code fillLeastSignificant16bits}, as {@code toArray}). */
    void addAll(RoaringBitmap b) {
        int n = b.getCardinality();
        if (size + n > rows.length) grow(size + n);
        int at = size;
        for (ContainerPointer c = b.getContainerPointer(); c.getContainer() != null; c.advance()) {
            Container k = c.getContainer();
            k.fillLeastSignificant16bits(rows, at, c.key() << 16);
            at += k.getCardinality();
        }
        size = at;
    }

    private void grow(int min) {
        rows = Arrays.copyOf(rows, Math.max(min, 2 * rows.length));
    }

    /** Sorts the rows and removes duplicates (a row read under two keys while it was updated). */
    void sortDistinct() {
        size = sortDistinct(size);
    }

    /** {@link #sortDistinct()} on the first {@code n} rows only; returns how many distinct rows they hold. */
    int sortDistinct(int n) {
        int[] r = rows;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = r[i - 1] < r[i];
        if (sorted) return n;
        Arrays.sort(r, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) if (m == 0 || r[i] != r[m - 1]) r[m++] = r[i];
        return m;
    }

    /** The first {@code n} rows (sorted, distinct) as a new bitmap. */
    RoaringBitmap toBitmap(int n) {
        return toBitmap(rows, n);
    }

    /** Row-id blocks with more rows than this are bit pages; fewer, sorted arrays (RoaringBitmap's own threshold). */
    static final int ARRAY_MAX = 4096;

    /**
     * {@code rows[0, n)} (sorted ascending, distinct, non-negative) as a new bitmap, built a
     * container at a time: each run of rows in one 65,536-row block becomes one container made
     * from the run (the low 16 bits as a {@code char[]}, or a bit page beyond {@value #ARRAY_MAX}
     * rows) and appended. {@link RoaringBitmap#addN} reaches the same bitmap through a per-row
     * insertion into the current container: about three times the profile samples of this on the
     * sparse answers of a probe (docs/QUERY.md, fourth round).
     */
    static RoaringBitmap toBitmap(int[] rows, int n) {
        RoaringBitmap b = new RoaringBitmap();
        int i = 0;
        while (i < n) {
            int block = rows[i] >>> 16;
            int j = i + 1;
            while (j < n && rows[j] >>> 16 == block) j++;
            int len = j - i;
            if (len <= ARRAY_MAX) {
                char[] low = new char[len];
                for (int k = 0; k < len; k++) low[k] = (char) rows[i + k];
                b.append((char) block, new ArrayContainer(len, low));
            } else {
                long[] words = new long[1 << 10];
                for (int k = i; k < j; k++) words[(rows[k] >>> 6) & 1023] |= 1L << rows[k];
                b.append((char) block, new BitmapContainer(words, len));
            }
            i = j;
        }
        return b;
    }
}
