package dev.cobtree.storage;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * What the crash child writes, round by round, deterministically from a seed, so that the parent
 * can recompute the exact cells (and checkpoint) of any round it finds on disk.
 */
final class CrashModel {

    static final int SEGMENT = 64;
    static final int UPDATES = 60_000;

    private CrashModel() {
    }

    /** Segments of the store in {@code round}: 64, doubling every third round up to 4096. */
    static long segments(int round) {
        return Math.min(4096, 64L << (round / 3));
    }

    /** The writes of {@code round}: random cells set (meta odd, key = cell) or cleared. */
    static void apply(CellStore s, long seed, int round) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003 + round);
        long cap = s.capacity();
        for (int i = 0; i < UPDATES; i++) {
            long c = rnd.nextLong(cap);
            if (rnd.nextInt(5) == 0) {
                s.setPlain(c, 0, 0, 0);
            } else {
                s.setPlain(c, ((long) round << 1) | 1, c, rnd.nextLong());
            }
        }
    }

    /** Copies every cell of {@code from} into the same cell of {@code to} (a growth). */
    static void copy(CellStore from, CellStore to) {
        for (long c = 0; c < from.capacity(); c++) {
            to.setPlain(c, from.metaPlain(c), from.keyPlain(c), from.valuePlain(c));
        }
    }

    /** The cells after {@code round} rounds (0: none yet). */
    static CellStore expected(long seed, int round) {
        CellStore s = new HeapCellStore(segments(1) * SEGMENT, SEGMENT);
        for (int r = 1; r <= round; r++) {
            if (segments(r) * SEGMENT > s.capacity()) {
                CellStore bigger = new HeapCellStore(segments(r) * SEGMENT, SEGMENT);
                copy(s, bigger);
                s = bigger;
            }
            apply(s, seed, r);
        }
        return s;
    }

    /** The checkpoint of a round: (MIN_VALUE -> round), then (cell -> value) of every occupied cell. */
    static void writeCheckpoint(Path file, CellStore s, int round) {
        CheckpointFile.write(file, sink -> {
            sink.accept(Long.MIN_VALUE, round);
            for (long c = 0; c < s.capacity(); c++) {
                if (s.metaPlain(c) != 0) {
                    sink.accept(s.keyPlain(c), s.valuePlain(c));
                }
            }
        });
    }

    /** Null if {@code a} and {@code b} hold the same cells, else the first difference. */
    static String difference(CellStore a, CellStore b) {
        if (a.capacity() != b.capacity()) {
            return "capacity " + a.capacity() + " vs " + b.capacity();
        }
        for (long c = 0; c < a.capacity(); c++) {
            if (a.metaPlain(c) != b.metaPlain(c) || a.keyPlain(c) != b.keyPlain(c) || a.valuePlain(c) != b.valuePlain(c)) {
                return "cell " + c + ": " + a.metaPlain(c) + "/" + a.keyPlain(c) + "/" + a.valuePlain(c)
                        + " vs " + b.metaPlain(c) + "/" + b.keyPlain(c) + "/" + b.valuePlain(c);
            }
        }
        return null;
    }
}
