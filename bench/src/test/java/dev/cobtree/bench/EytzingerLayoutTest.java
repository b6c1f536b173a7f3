package dev.cobtree.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EytzingerLayoutTest {

    @Test
    void lowerBoundAndFloorAgreeWithBinarySearch() {
        long seed = Long.getLong("cobtree.bench.seed", System.nanoTime());
        System.out.println("EytzingerLayoutTest seed " + seed + " (replay with -Dcobtree.bench.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n = 1; n <= 600; n += 1 + n / 8) {
            long[] sorted = Keys.random(n, rnd.nextLong()).sorted();
            EytzingerLayout e = new EytzingerLayout(sorted);
            for (int q = 0; q < 400; q++) {
                long key = q % 3 == 0 ? sorted[rnd.nextInt(n)] + rnd.nextInt(3) - 1 : rnd.nextLong();
                int i = Arrays.binarySearch(sorted, key);
                int lower = i >= 0 ? i : -i - 1;
                int floor = i >= 0 ? i : -i - 2;
                int lb = e.lowerBound(key);
                int fl = e.floor(key);
                assertEquals(lower == n ? -1 : lower, lb == 0 ? -1 : e.rankOf(lb), "lowerBound(" + key + ") with n=" + n);
                assertEquals(floor, fl == 0 ? -1 : e.rankOf(fl), "floor(" + key + ") with n=" + n);
                if (lb != 0) assertEquals(sorted[e.rankOf(lb)], e.keyAt(lb));
            }
        }
    }
}
