package dev.cobtree.query;

import dev.cobtree.core.LongLongConsumer;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;

/**
 * A growable array of row ids, filled from a {@link WideKeyIndex}'s first slots, lists and
 * bitmaps in key order ({@link WideKeyIndex#collectRows}), then sorted and made distinct so that
 * the planner can test the rows in the row store page by page and append the survivors to a
 * {@link RoaringBitmap} in one {@link RoaringBitmap#addN}. For the non-negative row ids of a
 * {@link TableIndex} only (sorted as signed ints). Not thread-safe; one per query.
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

    void addAll(RoaringBitmap b) {
        int n = b.getCardinality();
        if (size + n > rows.length) grow(size + n);
        int[] r = rows;
        int[] at = {size};
        b.forEach((int row) -> r[at[0]++] = row);
        size = at[0];
    }

    private void grow(int min) {
        rows = Arrays.copyOf(rows, Math.max(min, 2 * rows.length));
    }

    /** Sorts the rows and removes duplicates (a row read under two keys while it was updated). */
    void sortDistinct() {
        int[] r = rows;
        int n = size;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = r[i - 1] < r[i];
        if (sorted) return;
        Arrays.sort(r, 0, n);
        int m = 0;
        for (int i = 0; i < n; i++) if (m == 0 || r[i] != r[m - 1]) r[m++] = r[i];
        size = m;
    }

    /** The first {@code n} rows (sorted, distinct) as a new bitmap. */
    RoaringBitmap toBitmap(int n) {
        RoaringBitmap b = new RoaringBitmap();
        b.addN(rows, 0, n); // ascending: containers appended one after another
        return b;
    }
}
