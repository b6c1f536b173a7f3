package dev.cobtree.storage;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** {@link CellLayout}: every word of every cell has its own place, and the runs the bulk copies rely on hold. */
class CellLayoutTest {

    @Test
    void everyByteOfEveryCellIsDistinctAndInsideTheStore() {
        for (CellLayout unbound : new CellLayout[] {CellLayout.separateMeta(8), CellLayout.columnar(8), CellLayout.interleaved(8),
                CellLayout.columnar(128), CellLayout.separateMeta(128)}) {
            long cells = 4L * unbound.segmentSize;
            CellLayout l = unbound.bind(cells);
            Set<Long> seen = new HashSet<>();
            for (long c = 0; c < cells; c++) {
                long[][] fields = {{l.keyWord(c) * 8, 8}, {l.valueWord(c) * 8, 8}, {l.metaByte(c), l.metaBytes}};
                for (long[] f : fields) {
                    assertEquals(0, f[0] % f[1], l + ": field at byte " + f[0] + " of cell " + c + " is not naturally aligned");
                    for (long b = f[0]; b < f[0] + f[1]; b++) {
                        assertTrue(b >= 0 && b < l.bytes(cells), l + ": byte " + b + " of cell " + c);
                        assertTrue(seen.add(b), l + ": byte " + b + " used twice (cell " + c + ")");
                    }
                }
            }
            assertEquals(l.bytes(cells), seen.size(), l + ": every byte of the store belongs to a cell");
            assertEquals(l.arrangement == CellLayout.Arrangement.SEPARATE_META ? 20 : 24, l.cellBytes());
        }
    }

    @Test
    void columnarKeysAndValuesAreConsecutiveWithinASegmentOnly() {
        CellLayout l = CellLayout.columnar(16);
        for (long c = 0; c < 64; c++) {
            long end = l.runEnd(c);
            assertEquals((c / 16 + 1) * 16, end, "run of cell " + c);
            if (c + 1 < end) {
                assertEquals(l.keyWord(c) + 1, l.keyWord(c + 1));
                assertEquals(l.valueWord(c) + 1, l.valueWord(c + 1));
                assertEquals(l.metaSlot(c) + 1, l.metaSlot(c + 1));
            } else {
                assertNotEquals(l.keyWord(c) + 1, l.keyWord(c + 1), "a segment's keys end at its last cell");
            }
        }
        CellLayout i = CellLayout.interleaved(16);
        assertEquals(6, i.runEnd(5));
        assertEquals(3 * 5 + 1, i.keyWord(5));
    }

    @Test
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CellLayout.columnar(24), "not a power of two");
        assertThrows(IllegalArgumentException.class, () -> CellLayout.columnar(0));
        assertThrows(IllegalArgumentException.class, () -> CellLayout.columnar(16).words(40), "not whole segments");
        assertEquals(120, CellLayout.interleaved(16).words(40), "interleaved cells need no whole segments");
        assertThrows(IllegalArgumentException.class, () -> CellLayout.columnar(16).words(0));
        assertThrows(IllegalArgumentException.class, () -> CellLayout.columnar(16).words(Long.MAX_VALUE / 16 * 16));
        assertEquals(4, CellLayout.Arrangement.SEPARATE_META.fileId);
        assertEquals(2, CellLayout.Arrangement.COLUMNAR.fileId);
        assertEquals(1, CellLayout.Arrangement.INTERLEAVED.fileId);
    }

    /** SEPARATE_META: a segment's keys then its values; consecutive segments' runs follow each other; the meta column after all segments. */
    @Test
    void separateMetaPutsSegmentsKeyAndValueRunsTogetherAndTheMetaColumnAfterThem() {
        CellLayout unbound = CellLayout.separateMeta(16);
        assertFalse(unbound.isBound(), "the meta column needs the capacity");
        CellLayout l = unbound.bind(64);
        assertTrue(l.isBound());
        assertSame(l, l.bind(64), "binding to the same capacity changes nothing");
        for (long c = 0; c < 64; c++) {
            assertEquals((c / 16) * 32 + c % 16, l.keyWord(c), "key of cell " + c);
            assertEquals((c / 16) * 32 + 16 + c % 16, l.valueWord(c), "value of cell " + c);
            assertEquals(c, l.metaSlot(c), "meta of cell " + c);
            assertEquals(128 * 8 + 4 * c, l.metaByte(c), "meta of cell " + c + ": a 32-bit word in the column after the 128 words");
        }
        assertEquals(l.valueWord(15) + 1, l.keyWord(16), "segment 1's keys follow segment 0's values");
        assertEquals(128, l.words(64), "keys and values");
        assertEquals(64 * 20, l.bytes(64), "and 4 bytes of meta per cell");
        CellLayout r = CellLayout.columnarReferences(16).bind(64);
        assertEquals(17, r.keyWord(17), "reference layouts hold only keys per segment");
        assertEquals(17, r.metaSlot(17), "and the meta column apart");
        assertEquals(64, r.words(64));
        assertEquals(12, r.cellBytes());
        assertThrows(IllegalArgumentException.class, () -> unbound.bind(40), "not whole segments");
    }
}
