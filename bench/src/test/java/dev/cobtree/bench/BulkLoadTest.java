package dev.cobtree.bench;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Dcobtree.bench.load=bulk} (the 10^7 rows of {@code Suite --targets}) builds the same
 * contents as random puts, by another route, and stays writable; a bad value is refused by name.
 */
class BulkLoadTest {

    private static final int N = 3000;

    @AfterEach
    void clear() {
        System.clearProperty(Candidates.LOAD_PROPERTY);
    }

    @Test
    void bulkLoadedCandidatesAnswerLikeTheSortedArrayAndStayWritable() {
        System.setProperty(Candidates.LOAD_PROPERTY, "bulk");
        assertTrue(Candidates.bulkLoad());
        Keys keys = Keys.random(N, 9);
        long[] sorted = keys.sorted();
        for (String impl : Candidates.ALL) {
            if (!Candidates.available(impl) || !Candidates.writable(impl)) continue;
            Candidate c = Candidates.build(impl, keys.insertionOrder(), N);
            ResultCheck.size(c, N);
            ResultCheck.lookups(c, keys.hits(N, 1), keys.misses(2));
            ResultCheck.scan(c, sorted, 0, N, false);
            ResultCheck.scan(c, sorted, 100, 200, false);
            if (c instanceof CobTreeCandidate t) {
                // Built in one piece, not grown by puts (3,000 puts into an empty tree resize it several times).
                assertEquals(0, t.tree.statistics().resizes(), impl + " resizes");
                assertEquals(0, t.tree.statistics().rebalances(), impl + " rebalances");
            }
            long extra = sorted[N - 1] + 1;
            c.put(extra, Keys.valueOf(extra));
            assertEquals(Keys.valueOf(extra), c.get(extra, extra), impl + " put after a bulk load");
            assertEquals(Keys.valueOf(sorted[7]), c.remove(sorted[7], sorted[7]), impl + " remove after a bulk load");
            assertEquals(N, c.size(), impl);
        }
        // The prefix of the insertion order, not the whole key set, as build() promises.
        Candidate half = Candidates.build("cobtree", keys.insertionOrder(), N / 2);
        ResultCheck.scan(half, keys.sortedPrefix(N / 2), 0, N / 2, false);
    }

    @Test
    void putsIsTheDefaultAndABadValueIsRefusedByName() {
        assertFalse(Candidates.bulkLoad());
        System.setProperty(Candidates.LOAD_PROPERTY, "fast");
        var e = assertThrows(IllegalArgumentException.class, Candidates::bulkLoad);
        assertTrue(e.getMessage().contains("fast"), e.getMessage());
    }
}
