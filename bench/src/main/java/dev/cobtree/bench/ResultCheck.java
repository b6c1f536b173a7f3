package dev.cobtree.bench;

/**
 * Checks, before any measurement, that a candidate answers what the sorted key array says it
 * must: a benchmark of a structure that returns wrong answers measures nothing. A failed check
 * throws, and JMH reports the benchmark as failed.
 */
final class ResultCheck {

    private ResultCheck() {
    }

    static void lookups(Candidate c, long[] hits, long[] misses) {
        for (int i = 0; i < Math.min(4096, hits.length); i++) {
            long got = c.get(hits[i], hits[i]);
            if (got != Keys.valueOf(hits[i])) {
                throw new IllegalStateException(c.getClass().getSimpleName() + ".get(" + hits[i] + ") = " + got
                        + ", expected " + Keys.valueOf(hits[i]));
            }
        }
        if (misses == null) return;
        for (int i = 0; i < Math.min(4096, misses.length); i++) {
            long got = c.get(misses[i], misses[i]);
            if (got != Candidate.MISSING) {
                throw new IllegalStateException(c.getClass().getSimpleName() + ".get(" + misses[i] + ") = " + got + " for an absent key");
            }
        }
    }

    /** The checksum of a scan of sorted[from..to) (inclusive bounds sorted[from], sorted[to-1]), given the direction. */
    static void scan(Candidate c, long[] sorted, int from, int to, boolean descending) {
        long expected = Keys.expectedChecksum(sorted, from, to, 1);
        long lo = sorted[from];
        long hi = sorted[to - 1];
        long got = descending ? c.scanDescending(lo, hi) : c.scan(lo, hi);
        if (got != expected) {
            throw new IllegalStateException(c.getClass().getSimpleName() + (descending ? " descending" : "")
                    + " scan of [" + lo + ", " + hi + "] (" + (to - from) + " entries) has checksum " + got + ", expected " + expected);
        }
    }

    static void strided(Candidate c, long[] sorted, int from, int to, int stride) {
        long expected = Keys.expectedChecksum(sorted, from, to, stride);
        long got = c.strided(sorted[from], sorted[to - 1], stride);
        if (got != expected) {
            throw new IllegalStateException(c.getClass().getSimpleName() + " strided(" + stride + ") over " + (to - from)
                    + " entries has checksum " + got + ", expected " + expected);
        }
    }

    static void size(Candidate c, long expected) {
        if (c.size() != expected) {
            throw new IllegalStateException(c.getClass().getSimpleName() + " holds " + c.size() + " entries, expected " + expected);
        }
    }
}
