package dev.cobtree.bench;

import dev.cobtree.core.VebRouter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The three routers of SearchLayoutBench send every key to the same segment. */
class SearchLayoutTest {

    @Test
    void vebRoutesLikeBinarySearch() {
        long seed = Long.getLong("cobtree.bench.seed", System.nanoTime());
        System.out.println("SearchLayoutTest seed " + seed + " (replay with -Dcobtree.bench.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : new int[] {1, 2, 3, 5, 8, 13, 64, 100, 1000, 4097}) {
            long[] fences = Keys.random(n, rnd.nextLong()).sorted();
            VebRouter veb = new VebRouter(fences);
            for (int q = 0; q < 2000; q++) {
                long key = q % 2 == 0 ? fences[rnd.nextInt(n)] + rnd.nextInt(3) - 1 : rnd.nextLong();
                int i = Arrays.binarySearch(fences, key);
                int expected = i >= 0 ? i : Math.max(0, -i - 2);
                assertEquals(expected, veb.segmentOf(key), "segment of " + key + " among " + n + " fences");
            }
        }
    }
}
