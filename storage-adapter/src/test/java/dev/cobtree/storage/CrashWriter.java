package dev.cobtree.storage;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashTest}: writes {@link CrashModel} rounds into a mapped store
 * in {@code args[0]} with seed {@code args[2]}, checkpoints each round to {@code args[1]}, closes
 * cleanly, prints {@code ROUND n}, reopens, and so on until it is killed.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path cells = Path.of(args[0]);
        Path checkpoint = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        SplittableRandom pause = new SplittableRandom(seed);
        MappedCellStoreFactory f = new MappedCellStoreFactory(cells);
        CellStore s = f.create(CrashModel.segments(1), CrashModel.SEGMENT);
        for (int round = 1; ; round++) {
            if (CrashModel.segments(round) * CrashModel.SEGMENT > s.capacity()) {
                CellStore bigger = f.create(CrashModel.segments(round), CrashModel.SEGMENT);
                CrashModel.copy(s, bigger);
                f.retire(s);
                s = bigger;
            }
            CrashModel.apply(s, seed, round);
            CrashModel.writeCheckpoint(checkpoint, s, round);
            f.close(s, round);
            System.out.println("ROUND " + round);
            System.out.flush();
            Thread.sleep(pause.nextInt(10));
            f = new MappedCellStoreFactory(cells);
            s = f.recover();
            if (s == null || ((MappedCellStore) s).recoveredEntryCount() != round) {
                System.err.println("reopen after round " + round + " returned " + s);
                System.exit(3);
            }
            f.adopted(s, round); // as an index does before it writes: marks the file in use
        }
    }
}
