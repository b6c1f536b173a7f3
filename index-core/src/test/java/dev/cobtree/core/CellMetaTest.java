package dev.cobtree.core;

import dev.cobtree.storage.CellStore;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** {@link CellMeta}: every word the engine makes fits the 32 bits a store keeps, and the version wraps inside them. */
class CellMetaTest {

    private static final long[] MARKERS = {CellMeta.EMPTY, CellMeta.MOVE, CellMeta.INSERTING, CellMeta.DELETING};

    @Test
    void everyTransitionOfEveryWordStaysWithin32Bits() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            long m = rnd.nextLong() & CellStore.MAX_META;
            long marker = MARKERS[rnd.nextInt(MARKERS.length)];
            for (long w : new long[] {CellMeta.begin(m, marker), CellMeta.end(m, CellMeta.OCCUPIED, marker),
                    CellMeta.end(m, 0, marker), CellMeta.moved(m)}) {
                assertEquals(w, w & CellStore.MAX_META, "word " + Long.toHexString(w) + " from " + Long.toHexString(m));
                assertEquals(w, CellStore.metaOf(CellStore.checkMeta(w)), "a store keeps it whole");
            }
        }
    }

    @Test
    void theVersionCountsCompletedWritesAndWrapsToZeroAfter2To28() {
        long m = 0;
        for (int i = 0; i < 5; i++) {
            m = CellMeta.end(CellMeta.begin(m, CellMeta.INSERTING), CellMeta.OCCUPIED, CellMeta.EMPTY);
        }
        assertEquals(5L << CellMeta.VERSION_SHIFT | CellMeta.OCCUPIED, m, "five writes, stable, occupied");
        long last = CellMeta.VERSION_MASK | CellMeta.OCCUPIED; // version 2^28 - 1
        long opened = CellMeta.begin(last, CellMeta.DELETING);
        assertTrue((opened & CellMeta.WRITING) != 0, "a write makes the word odd");
        assertEquals(CellMeta.VERSION_MASK, opened & CellMeta.VERSION_MASK, "opening a write keeps the version");
        long wrapped = CellMeta.end(opened, 0, CellMeta.EMPTY);
        assertEquals(0, wrapped, "version 2^28 - 1 + 1 wraps to 0: empty, stable, version 0");
        assertEquals(28, Long.bitCount(CellMeta.VERSION_MASK));
        assertEquals(CellStore.MAX_META, CellMeta.VERSION_MASK | 0xF, "state bits and version fill the 32 bits exactly");
    }

    @Test
    void aMoveSourceIsStableOccupiedAndMarkedMove() {
        long m = CellMeta.end(0, CellMeta.OCCUPIED, CellMeta.EMPTY);
        long moved = CellMeta.moved(m);
        assertTrue(CellMeta.isStableEntry(moved));
        assertEquals(CellMeta.MOVE, CellMeta.marker(moved));
        assertEquals(CellMeta.VERSION_ONE * 2, moved & CellMeta.VERSION_MASK, "a completed write: version + 1");
    }
}
