package dev.cobtree.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every implementation answers what the sorted key array says, so that the benchmarks compare equal work. */
class CandidatesTest {

    private static final int N = 3000;

    @Test
    void everyCandidateAnswersLikeTheSortedArray() {
        Keys keys = Keys.random(N, 7);
        long[] sorted = keys.sorted();
        long[] hits = keys.hits(N, 1);
        long[] misses = keys.misses(2);
        for (String impl : Candidates.ALL) {
            if (!Candidates.available(impl)) continue;
            Candidate c = Candidates.build(impl, keys.insertionOrder(), N);
            ResultCheck.size(c, N);
            ResultCheck.lookups(c, hits, misses);
            if (impl.equals("eytzinger")) continue;
            for (int[] range : new int[][] {{0, N}, {17, 117}, {N - 1, N}, {5, 6}}) {
                ResultCheck.scan(c, sorted, range[0], range[1], false);
                if (!impl.startsWith("cobtreeSink")) { // sinks (cobtreeSink, -Old, -Columnar) scan ascending only
                    ResultCheck.scan(c, sorted, range[0], range[1], true);
                    for (int k : new int[] {1, 8, 64, 1024, 5000}) {
                        ResultCheck.strided(c, sorted, range[0], range[1], k);
                    }
                }
            }
        }
    }

    @Test
    void writableCandidatesPutAndRemove() {
        Keys keys = Keys.random(N, 8);
        for (String impl : Candidates.ALL) {
            if (!Candidates.available(impl) || !Candidates.writable(impl)) continue;
            Candidate c = Candidates.empty(impl);
            for (long k : keys.insertionOrder()) c.put(k, Keys.valueOf(k));
            ResultCheck.size(c, N);
            long[] order = keys.shuffledPrefix(N, 3);
            for (int i = 0; i < N / 2; i++) {
                assertEquals(Keys.valueOf(order[i]), c.remove(order[i], order[i]), impl + " remove");
                assertEquals(Candidate.MISSING, c.get(order[i], order[i]), impl + " get after remove");
            }
            assertEquals(N - N / 2, c.size(), impl + " size after removes");
            assertEquals(Candidate.MISSING, c.remove(order[0], order[0]), impl + " second remove");
        }
    }

    @Test
    void readOnlyAndUnknownImplementationsAreRefusedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Candidates.empty("sortedArray"));
        assertEquals(true, e.getMessage().contains("sortedArray"));
        e = assertThrows(IllegalArgumentException.class, () -> Candidates.empty("nope"));
        assertEquals(true, e.getMessage().contains("nope"));
    }
}
