package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RowBuffer#toBitmap(int[], int)} (containers built from runs of sorted rows) against
 * {@link RoaringBitmap#bitmapOf}: blocks of 65,536 rows empty, sparse, at the array limit
 * ({@value RowBuffer#ARRAY_MAX} rows, one more: a bit page), dense and full; the first and the
 * last row ids of a block; a prefix of the buffer only.
 */
class RowBufferTest {

    @Test
    void bitmapFromSortedRowsEqualsRoaringsOwn() {
        SplittableRandom r = new SplittableRandom(3);
        int[] perBlock = {0, 1, 2, 100, RowBuffer.ARRAY_MAX - 1, RowBuffer.ARRAY_MAX, RowBuffer.ARRAY_MAX + 1, 30_000, 65_536};
        for (int trial = 0; trial < 300; trial++) {
            int blocks = 1 + r.nextInt(5);
            int[] rows = new int[blocks * 65_536];
            int n = 0;
            int firstBlock = r.nextInt(3) == 0 ? 32_000 : r.nextInt(50); // high blocks too (row ids near 2^31)
            for (int b = 0; b < blocks; b++) {
                int want = perBlock[r.nextInt(perBlock.length)];
                int base = (firstBlock + b) << 16;
                if (want == 65_536) {
                    for (int i = 0; i < 65_536; i++) rows[n++] = base + i;
                    continue;
                }
                boolean[] taken = new boolean[65_536];
                int got = 0;
                if (want > 0 && r.nextBoolean()) { // the block's first and last ids
                    taken[0] = true;
                    got++;
                    if (want > 1) {
                        taken[65_535] = true;
                        got++;
                    }
                }
                while (got < want) {
                    int i = r.nextInt(65_536);
                    if (!taken[i]) {
                        taken[i] = true;
                        got++;
                    }
                }
                for (int i = 0; i < 65_536; i++) if (taken[i]) rows[n++] = base + i;
            }
            int used = n == 0 ? 0 : r.nextInt(n + 1); // a prefix: what the probe left
            RoaringBitmap got = RowBuffer.toBitmap(rows, used);
            RoaringBitmap want = RoaringBitmap.bitmapOf(Arrays.copyOf(rows, used));
            assertEquals(want, got, "trial " + trial);
            assertEquals(used, got.getCardinality(), "trial " + trial);
            got.add(rows.length > 0 ? rows[0] : 0); // a usable bitmap: later writes behave
            want.add(rows.length > 0 ? rows[0] : 0);
            assertEquals(want, got, "trial " + trial + " after an add");
        }
    }
}
