package dev.cobtree.storage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What allocating a new cell file's blocks up front costs a resize: with {@code -Dcobtree.perf=true},
 * creates files of 10^6 and 10^7 cells (24 MiB, 229 MiB) with {@link MappedCellStoreFactory.Allocation#ALLOCATED}
 * and {@link MappedCellStoreFactory.Allocation#SPARSE}, and times the creation alone and the
 * creation plus writing every cell once (what a resize does to the new file), seven times each,
 * alternating, reporting median and best. Wall-clock, one thread, on whatever machine runs it.
 */
@Tag("perf")
@EnabledIfSystemProperty(named = "cobtree.perf", matches = "true")
class FileAllocationBenchmark {

    @TempDir
    Path dir;

    @Test
    void allocatedVersusSparse() {
        for (long cells : new long[] {1_000_000, 10_000_000}) {
            long[][] create = new long[2][7];
            long[][] filled = new long[2][7];
            for (int rep = 0; rep < 7; rep++) {
                for (int mode = 0; mode < 2; mode++) {
                    MappedCellStoreFactory.Allocation a = MappedCellStoreFactory.Allocation.values()[mode];
                    Path d = dir.resolve(a + "-" + cells + "-" + rep);
                    try (MappedCellStoreFactory f = new MappedCellStoreFactory(d, a)) {
                        long t0 = System.nanoTime();
                        CellStore s = f.create(cells / 64, 64);
                        long t1 = System.nanoTime();
                        for (long c = 0; c < s.capacity(); c++) {
                            s.setPlain(c, 2, c, c);
                        }
                        long t2 = System.nanoTime();
                        create[mode][rep] = t1 - t0;
                        filled[mode][rep] = t2 - t0;
                    }
                    MappedCellStoreFactory.deleteCellFiles(d);
                }
            }
            for (int mode = 0; mode < 2; mode++) {
                System.out.printf("[allocation] %,d cells (%d MiB) %s: create median %.1f ms best %.1f ms; create + write every cell median %.1f ms best %.1f ms%n",
                        cells, (cells * 24) >> 20, MappedCellStoreFactory.Allocation.values()[mode],
                        median(create[mode]), best(create[mode]), median(filled[mode]), best(filled[mode]));
            }
        }
    }

    private static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    private static double best(long[] ns) {
        return Arrays.stream(ns).min().orElseThrow() / 1e6;
    }
}
