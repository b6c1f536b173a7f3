package dev.cobtree.query;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class CachedRangesTest {

    @Test
    void stabbingFindsExactlyTheRangesContainingTheKey() {
        long seed = TestSeed.seed("CachedRangesTest.stabbingFindsExactlyTheRangesContainingTheKey");
        Random rnd = new Random(seed);
        CachedRanges index = new CachedRanges();
        Set<Range> model = new HashSet<>();
        for (int op = 0; op < 40_000; op++) {
            String ctx = "seed=" + seed + " op " + op;
            int what = rnd.nextInt(10);
            if (what < 5) {
                Range r = randomRange(rnd);
                assertEquals(model.add(r), index.add(r), ctx + " add " + r);
            } else if (what < 7) {
                Range r = rnd.nextBoolean() && !model.isEmpty() ? model.iterator().next() : randomRange(rnd);
                assertEquals(model.remove(r), index.remove(r), ctx + " remove " + r);
            } else if (what < 9) {
                long k = rnd.nextInt(1_100) - 50;
                Set<Range> want = new HashSet<>();
                for (Range r : model) if (r.contains(k)) want.add(r);
                List<Range> got = new ArrayList<>();
                index.removeContaining(k, got::add);
                assertEquals(want, new HashSet<>(got), ctx + " stab " + k);
                assertEquals(want.size(), got.size(), ctx + " each range once");
                model.removeAll(want);
            } else if (rnd.nextInt(200) == 0) {
                index.clear();
                model.clear();
            }
            assertEquals(model.size(), index.size(), ctx);
        }
        for (Range r : model) assertTrue(index.contains(r), "seed=" + seed + " lost " + r);
    }

    @Test
    void extremeBoundsAndEmptyRanges() {
        CachedRanges index = new CachedRanges();
        assertTrue(index.add(Range.all()));
        assertTrue(index.add(Range.singleton(Long.MAX_VALUE)));
        assertTrue(index.add(Range.singleton(Long.MIN_VALUE)));
        assertFalse(index.add(Range.closed(Long.MIN_VALUE, Long.MAX_VALUE)), "equal to all()");
        List<Range> got = new ArrayList<>();
        index.removeContaining(Long.MAX_VALUE, got::add);
        assertEquals(Set.of(Range.all(), Range.singleton(Long.MAX_VALUE)), new HashSet<>(got));
        assertEquals(1, index.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> index.add(Range.halfOpen(3, 3)));
        assertTrue(e.getMessage().contains("empty range"), e.getMessage());
        assertFalse(index.remove(Range.halfOpen(3, 3)));
    }

    private static Range randomRange(Random rnd) {
        long a = rnd.nextInt(1_000);
        return switch (rnd.nextInt(4)) {
            case 0 -> Range.singleton(a);
            case 1 -> Range.closed(a, a + rnd.nextInt(20));
            case 2 -> Range.closed(a, a + rnd.nextInt(500));
            default -> Range.atLeast(a);
        };
    }
}
