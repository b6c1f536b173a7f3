package dev.cobtree.core;

import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.HeapCellStoreFactory;
import dev.cobtree.storage.MappedCellStoreFactory;
import dev.cobtree.storage.OffHeapCellStoreFactory;

import java.nio.file.Path;

/** The three stores an index can live in, for tests of the tree parametrised over its storage. */
enum StoreKinds {
    HEAP, OFF_HEAP, MAPPED;

    /** A factory for one index ({@code dir} is used by the mapped store only). */
    CellStoreFactory factory(Path dir) {
        return switch (this) {
            case HEAP -> HeapCellStoreFactory.INSTANCE;
            case OFF_HEAP -> new OffHeapCellStoreFactory();
            case MAPPED -> new MappedCellStoreFactory(dir);
        };
    }

    static long seed(String test) {
        String fixed = System.getProperty("cobtree.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
        System.out.println("[" + test + "] seed=" + seed + " (replay with -Dcobtree.seed=" + seed + ")");
        return seed;
    }
}
