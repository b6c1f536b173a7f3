package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class RowIdCollectorTest {

    @Test
    void everyDistributionGivesTheSameBitmapAsRoaringItself() {
        long seed = TestSeed.seed("RowIdCollectorTest.everyDistributionGivesTheSameBitmapAsRoaringItself");
        Random rnd = new Random(seed);
        for (int q = 0; q < 300; q++) {
            int n = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(10);
                case 1 -> rnd.nextInt(2 * RowIdCollector.SAMPLE);
                default -> rnd.nextInt(200_000);
            };
            long space = switch (rnd.nextInt(5)) {
                case 0 -> 1L << 12;          // one block, many duplicates
                case 1 -> 1L << 20;          // 16 blocks: dense
                case 2 -> 1L << 26;          // 1024 blocks: sparse sample
                case 3 -> 1L << 32;          // the whole unsigned range
                default -> 1L << 17;
            };
            int[] ids = new int[n];
            boolean sorted = rnd.nextInt(4) == 0;
            for (int i = 0; i < n; i++) ids[i] = (int) (rnd.nextLong() & (space - 1));
            if (sorted) Arrays.sort(ids);
            if (rnd.nextInt(6) == 0 && n > 0) { // a full block
                int base = rnd.nextInt(4) << 16;
                ids = Arrays.copyOf(ids, n + 65_536);
                for (int i = 0; i < 65_536; i++) ids[n + i] = base + i;
            }
            RowIdCollector c = new RowIdCollector();
            for (int id : ids) c.accept(0, Integer.toUnsignedLong(id));
            RoaringBitmap got = c.finish();
            RoaringBitmap want = RoaringBitmap.bitmapOfUnordered(ids.clone());
            String ctx = "seed=" + seed + " query " + q + " n=" + ids.length + " space=" + space + " sorted=" + sorted;
            assertEquals(want, got, ctx);
            assertEquals(want.getLongCardinality(), got.getLongCardinality(), ctx);
            RoaringBitmap gotRuns = got.clone(), wantRuns = want.clone();
            gotRuns.runOptimize();
            wantRuns.runOptimize();
            assertTrue(gotRuns.getSizeInBytes() <= wantRuns.getSizeInBytes(), ctx + ": containers bigger than Roaring's own ("
                    + gotRuns.getSizeInBytes() + " > " + wantRuns.getSizeInBytes() + ")");
            for (int t = 0; t < 50 && ids.length > 0; t++) assertTrue(got.contains(ids[rnd.nextInt(ids.length)]), ctx);
        }
    }
}
