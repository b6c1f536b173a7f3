package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class RowIdCollectorTest {

    /** With an expected count, ids spread over hundreds of blocks in random order still give Roaring's bitmap. */
    @Test
    void anExpectedCountGivesTheSameBitmapForEveryDistribution() {
        Random rnd = new Random(17);
        for (int blocks : new int[] {1, 64, 153, 1000}) {
            for (long expectedFactor : new long[] {0, 1, 100}) {
                int n = 100_000;
                int[] ids = new int[n];
                for (int i = 0; i < n; i++) ids[i] = rnd.nextInt(blocks << 16);
                RowIdCollector c = new RowIdCollector(expectedFactor * n);
                for (int id : ids) c.add(id);
                RoaringBitmap want = new RoaringBitmap();
                want.add(ids);
                assertEquals(want, c.finish(), "blocks " + blocks + ", expected " + expectedFactor * n);
            }
        }
    }

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
            if (rnd.nextInt(5) == 0) { // a dense sample first, then the rest: the pages may give way to the sparse path
                int[] dense = new int[RowIdCollector.SAMPLE + ids.length];
                int block = rnd.nextInt(1 << 16) << 16;
                for (int i = 0; i < RowIdCollector.SAMPLE; i++) dense[i] = block | rnd.nextInt(1 << 16);
                System.arraycopy(ids, 0, dense, RowIdCollector.SAMPLE, ids.length);
                ids = dense;
                n = ids.length;
            }
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

    /**
     * Finding 4: 4,096 ids in one block (the sample looks dense), then one id in each of the
     * other 65,535 blocks. The collector may allocate a small multiple of what Roaring itself
     * allocates to build the same bitmap from sorted ids, not an 8 KiB page per touched block
     * (520 MiB before the fix).
     */
    @Test
    void memoryIsBoundedByTheAnswerOnADenseThenSpreadIdSet() {
        int[] ids = new int[RowIdCollector.SAMPLE + 65_535];
        for (int i = 0; i < RowIdCollector.SAMPLE; i++) ids[i] = i * 16;               // block 0, dense sample
        for (int b = 1; b <= 65_535; b++) ids[RowIdCollector.SAMPLE + b - 1] = (b << 16) | (b * 7 & 0xFFFF);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(), "allocation is not measurable here");
        long tid = Thread.currentThread().threadId();

        int[] sorted = ids.clone();
        Arrays.sort(sorted);
        long before = mx.getThreadAllocatedBytes(tid);
        RoaringBitmap want = new RoaringBitmap();
        want.addN(sorted, 0, sorted.length);
        long roaring = mx.getThreadAllocatedBytes(tid) - before;

        before = mx.getThreadAllocatedBytes(tid);
        RowIdCollector c = new RowIdCollector();
        for (int id : ids) c.add(id);
        RoaringBitmap got = c.finish();
        long collector = mx.getThreadAllocatedBytes(tid) - before;

        System.out.printf("RowIdCollectorTest: %,d ids in 65,536 blocks: collector allocated %,d bytes, Roaring from sorted ids %,d bytes%n",
                ids.length, collector, roaring);
        assertEquals(want, got);
        assertTrue(collector <= 3 * roaring + (1 << 20), "the collector allocated " + collector + " bytes for an answer Roaring builds in "
                + roaring + " bytes");
    }
}
