package dev.cobtree.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every object-valued implementation answers what the sorted keys say, so that ValuesBench compares equal work. */
class ObjectCandidatesTest {

    private static final int N = 3000;

    @Test
    void everyCandidateAnswersLikeTheSortedKeys() {
        Keys keys = Keys.random(N, 7);
        long[] sorted = keys.sorted();
        for (String impl : ObjectCandidates.ALL) {
            ObjectCandidate c = ObjectCandidates.build(impl, keys.insertionOrder(), N);
            ObjectCandidates.checkSize(impl, c, N);
            ObjectCandidates.checkLookups(impl, c, keys.hits(N, 1), keys.misses(2));
            for (int[] range : new int[][] {{0, N}, {17, 117}, {N - 1, N}, {5, 6}}) {
                ObjectCandidates.checkScan(impl, c, sorted, range[0], range[1]);
            }
        }
    }

    @Test
    void candidatesPutAndRemove() {
        Keys keys = Keys.random(N, 8);
        for (String impl : ObjectCandidates.ALL) {
            ObjectCandidate c = ObjectCandidates.empty(impl);
            for (long k : keys.insertionOrder()) c.put(k, SharedValues.of(k));
            ObjectCandidates.checkSize(impl, c, N);
            long[] order = keys.shuffledPrefix(N, 3);
            for (int i = 0; i < N / 2; i++) {
                assertSame(SharedValues.of(order[i]), c.remove(order[i], order[i]), impl + " remove");
                assertNull(c.get(order[i], order[i]), impl + " get after remove");
            }
            assertEquals(N - N / 2, c.size(), impl + " size after removes");
            assertNull(c.remove(order[0], order[0]), impl + " second remove");
        }
    }

    /** The checks can fail: a value moved to another key changes the scan checksum. */
    @Test
    void aMisplacedValueFailsTheCheck() {
        Keys keys = Keys.random(N, 9);
        long[] sorted = keys.sorted();
        ObjectCandidate c = ObjectCandidates.build("cobtree", keys.insertionOrder(), N);
        long k = sorted[10];
        Object other = SharedValues.of(k);
        for (long probe = 1; other == SharedValues.of(k); probe++) other = SharedValues.of(k + probe);
        c.put(k, other);
        Object wrong = other;
        assertThrows(IllegalStateException.class, () -> ObjectCandidates.checkScan("cobtree", c, sorted, 0, N));
        assertThrows(IllegalStateException.class,
                () -> ObjectCandidates.checkLookups("cobtree", c, new long[] {k}, new long[0]));
        assertSame(wrong, c.get(k, k));
    }

    @Test
    void unknownImplementationIsRefusedWithItsName() {
        var e = assertThrows(IllegalArgumentException.class, () -> ObjectCandidates.empty("nope"));
        assertTrue(e.getMessage().contains("nope"));
    }
}
