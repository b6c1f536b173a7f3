package dev.cobtree.storage;

import java.nio.file.Path;

/** The three stores, for tests parametrised over them. */
enum StoreKind {
    HEAP {
        @Override
        CellStoreFactory factory(Path dir) {
            return HeapCellStoreFactory.INSTANCE;
        }
    },
    OFF_HEAP {
        @Override
        CellStoreFactory factory(Path dir) {
            return new OffHeapCellStoreFactory();
        }
    },
    MAPPED {
        @Override
        CellStoreFactory factory(Path dir) {
            return new MappedCellStoreFactory(dir.resolve("index"));
        }
    };

    abstract CellStoreFactory factory(Path dir);

    /** Whether access after close() throws (memory freed by hand) rather than being left to the GC. */
    boolean freesMemory() {
        return this != HEAP;
    }
}
