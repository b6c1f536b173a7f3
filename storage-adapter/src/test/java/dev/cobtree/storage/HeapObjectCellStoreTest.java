package dev.cobtree.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The object-valued heap store's bulk moves: keys and references together, meta words untouched. */
class HeapObjectCellStoreTest {

    @Test
    void moveEntriesShiftsKeysAndReferencesWithinASegmentBothWays() {
        HeapObjectCellStore s = new HeapObjectCellStore(64, 16);
        for (int c = 0; c < 64; c++) {
            s.setPlain(c, 1000 + c, -c, 0, "v" + c);
        }
        s.moveEntries(3, 4, 10); // right by one in segment 0
        for (int c = 0; c < 16; c++) {
            int from = c >= 4 && c <= 13 ? c - 1 : c;
            assertEquals(-from, s.keyPlain(c), "key of cell " + c);
            assertEquals("v" + from, s.refPlain(c), "reference of cell " + c);
            assertEquals(1000 + c, s.metaPlain(c), "meta of cell " + c + " untouched");
        }
        s.moveEntries(21, 20, 11); // left by one in segment 1
        for (int c = 16; c < 32; c++) {
            int from = c >= 20 && c <= 30 ? c + 1 : c;
            assertEquals(-from, s.keyOpaque(c), "key of cell " + c);
            assertEquals("v" + from, s.refOpaque(c), "reference of cell " + c);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> s.moveEntries(14, 15, 3), "crosses into segment 1");
        assertEquals("v14", s.refPlain(14), "a refused move changes nothing");
        assertEquals("v16", s.refPlain(16), "a refused move changes nothing");
    }
}
