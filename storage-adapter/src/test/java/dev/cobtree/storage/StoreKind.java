package dev.cobtree.storage;

import java.nio.file.Path;

/** The three stores (and the heap and off-heap ones in the interleaved layout too), for tests parametrised over them. */
enum StoreKind {
    HEAP {
        @Override
        CellStoreFactory factory(Path dir) {
            return HeapCellStoreFactory.INSTANCE;
        }
    },
    HEAP_INTERLEAVED {
        @Override
        CellStoreFactory factory(Path dir) {
            return HeapCellStoreFactory.INTERLEAVED;
        }
    },
    HEAP_COLUMNAR {
        @Override
        CellStoreFactory factory(Path dir) {
            return HeapCellStoreFactory.COLUMNAR;
        }
    },
    OFF_HEAP {
        @Override
        CellStoreFactory factory(Path dir) {
            return new OffHeapCellStoreFactory();
        }
    },
    OFF_HEAP_INTERLEAVED {
        @Override
        CellStoreFactory factory(Path dir) {
            return new OffHeapCellStoreFactory(CellLayout.Arrangement.INTERLEAVED);
        }
    },
    OFF_HEAP_COLUMNAR {
        @Override
        CellStoreFactory factory(Path dir) {
            return new OffHeapCellStoreFactory(CellLayout.Arrangement.COLUMNAR);
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
        return this != HEAP && this != HEAP_INTERLEAVED && this != HEAP_COLUMNAR;
    }
}
