package dev.cobtree.storage;

import java.nio.file.Path;

/**
 * Child JVM of {@link CrashTest#killsDuringTheAllocationOfANewFileNeverYieldWrongData}: opens the
 * index directory {@code args[0]} (which holds a clean generation), prints {@code ALLOCATING} and
 * creates a new generation of {@code args[1]} cells, whose blocks are written out, until killed.
 */
public final class AllocatingWriter {

    private AllocatingWriter() {
    }

    public static void main(String[] args) {
        MappedCellStoreFactory f = new MappedCellStoreFactory(Path.of(args[0]));
        long cells = Long.parseLong(args[1]);
        for (;;) {
            System.out.println("ALLOCATING");
            System.out.flush();
            f.retire(f.create(cells / 64, 64));
        }
    }
}
