package dev.cobtree.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.lang.invoke.VarHandle;

import static org.junit.jupiter.api.Assertions.*;

/** Every store against the {@link CellStore} contract. */
class CellStoreContractTest {

    @TempDir
    Path dir;

    private CellStoreFactory factory;

    private CellStore store(StoreKind kind, long segments, int segmentSize) {
        factory = kind.factory(dir);
        return factory.create(segments, segmentSize);
    }

    @AfterEach
    void closeFactory() {
        if (factory != null) {
            factory.close();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void shapeAndZeroedCells(StoreKind kind) {
        CellStore s = store(kind, 5, 16);
        assertEquals(80, s.capacity());
        assertEquals(16, s.segmentSize());
        assertTrue(s.isOpen());
        int cellBytes = s.layout().arrangement == CellLayout.Arrangement.SEPARATE_META ? 20 : 24;
        assertEquals(cellBytes, s.layout().cellBytes());
        assertTrue(s.memoryBytes() >= 80 * cellBytes, "memoryBytes " + s.memoryBytes());
        for (long c = 0; c < s.capacity(); c++) {
            assertEquals(0, s.metaPlain(c));
            assertEquals(0, s.metaAcquire(c));
            assertEquals(0, s.keyPlain(c));
            assertEquals(0, s.valueOpaque(c));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void createRejectsBadShapes(StoreKind kind) {
        factory = kind.factory(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.create(0, 16));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> factory.create(4, 0));
        assertTrue(e.getMessage().contains("segmentSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> factory.create(-3, 16));
        assertThrows(ArithmeticException.class, () -> factory.create(Long.MAX_VALUE / 2, 16));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void everyAccessorReadsWhatWasWrittenAndOnlyItsWord(StoreKind kind) {
        CellStore s = store(kind, 8, 32);
        SplittableRandom rnd = new SplittableRandom(42);
        long n = s.capacity();
        long[] m = new long[(int) n], k = new long[(int) n], v = new long[(int) n];
        for (int c = 0; c < n; c++) {
            m[c] = rnd.nextLong() & CellStore.MAX_META; // any 32-bit word, the top bit included
            k[c] = rnd.nextLong();
            v[c] = rnd.nextLong();
            switch (c % 3) {
                case 0 -> s.setPlain(c, m[c], k[c], v[c]);
                case 1 -> {
                    s.keyOpaque(c, k[c]);
                    s.valueOpaque(c, v[c]);
                    s.metaRelease(c, m[c]);
                }
                default -> {
                    s.valueOpaque(c, v[c]);
                    s.metaOpaque(c, m[c]);
                    s.keyOpaque(c, k[c]);
                }
            }
        }
        for (int c = 0; c < n; c++) {
            assertEquals(m[c], s.metaPlain(c), "meta of cell " + c);
            assertEquals(m[c], s.metaOpaque(c));
            assertEquals(m[c], s.metaAcquire(c));
            assertEquals(k[c], s.keyPlain(c), "key of cell " + c);
            assertEquals(k[c], s.keyOpaque(c));
            assertEquals(v[c], s.valuePlain(c), "value of cell " + c);
            assertEquals(v[c], s.valueOpaque(c));
        }
        s.setPlain(n - 1, CellStore.MAX_META, Long.MAX_VALUE, -1L);
        assertEquals(CellStore.MAX_META, s.metaPlain(n - 1), "the largest meta word comes back zero-extended");
        assertEquals(Long.MAX_VALUE, s.keyOpaque(n - 1));
        assertEquals(-1L, s.valuePlain(n - 1));
        assertEquals(m[(int) n - 2], s.metaPlain(n - 2), "neighbour untouched");
        assertEquals(v[(int) n - 2], s.valuePlain(n - 2), "neighbour untouched");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void copyEntriesCopiesKeysAndValuesInOrderAcrossSegments(StoreKind kind) {
        CellStore s = store(kind, 4, 16);
        for (int c = 0; c < s.capacity(); c++) {
            s.setPlain(c, 1000 + c, -c, c * 7L);
        }
        long[] keys = new long[22];
        long[] values = new long[22];
        java.util.Arrays.fill(keys, 99);
        java.util.Arrays.fill(values, 99);
        s.copyEntries(37, 20, keys, values); // cells 37..56: the end of segment 2 and the start of segment 3
        for (int i = 0; i < 20; i++) {
            assertEquals(-(37 + i), keys[i], "key of cell " + (37 + i));
            assertEquals((37 + i) * 7L, values[i], "value of cell " + (37 + i));
        }
        assertEquals(99, keys[20], "nothing written past the cells asked for");
        assertEquals(99, values[20], "nothing written past the cells asked for");
        s.copyEntries(32, 16, keys, values); // exactly one segment
        assertEquals(-32, keys[0]);
        assertEquals(-47, keys[15]);
        assertEquals(47 * 7L, values[15]);
        s.copyEntries(s.capacity() - 1, 1, keys, values);
        assertEquals(-(s.capacity() - 1), keys[0]);
        s.copyEntries(0, 0, keys, values);
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyEntries(60, 10, new long[10], new long[10]), "past the store's end");
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyEntries(-1, 2, new long[10], new long[10]), "before the store's start");
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyEntries(0, 10, new long[9], new long[10]), "keys too short");
        assertThrows(IndexOutOfBoundsException.class, () -> s.copyEntries(0, 10, new long[10], new long[9]), "values too short");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void moveEntriesShiftsKeysAndValuesWithinASegmentBothWaysAndLeavesMetaAlone(StoreKind kind) {
        CellStore s = store(kind, 4, 16);
        for (int c = 0; c < s.capacity(); c++) {
            s.setPlain(c, 1000 + c, -c, c * 7L);
        }
        s.moveEntries(17, 18, 13); // right by one: cells 17..29 -> 18..30 (overlapping), segment 1
        for (int c = 16; c < 32; c++) {
            long from = c == 17 ? 17 : c >= 18 && c <= 30 ? c - 1 : c;
            assertEquals(-from, s.keyPlain(c), "key of cell " + c + " after the right shift");
            assertEquals(from * 7L, s.valuePlain(c), "value of cell " + c + " after the right shift");
            assertEquals(1000 + c, s.metaPlain(c), "meta of cell " + c + " untouched");
        }
        assertEquals(-15, s.keyPlain(15), "the segment before untouched");
        assertEquals(-32, s.keyPlain(32), "the segment after untouched");
        s.moveEntries(35, 34, 12); // left by one: cells 35..46 -> 34..45, segment 2
        for (int c = 32; c < 48; c++) {
            long from = c >= 34 && c <= 45 ? c + 1 : c;
            assertEquals(-from, s.keyPlain(c), "key of cell " + c + " after the left shift");
            assertEquals(from * 7L, s.valueOpaque(c), "value of cell " + c + " after the left shift");
            assertEquals(1000 + c, s.metaOpaque(c), "meta of cell " + c + " untouched");
        }
        s.moveEntries(48, 48 + 5, 0);
        assertEquals(-48, s.keyPlain(53 - 5));
        assertThrows(IndexOutOfBoundsException.class, () -> s.moveEntries(10, 11, 6), "crosses into segment 1");
        assertThrows(IndexOutOfBoundsException.class, () -> s.moveEntries(60, 61, 4), "past the store's end");
        assertThrows(IndexOutOfBoundsException.class, () -> s.moveEntries(-1, 0, 2), "before the store's start");
        assertEquals(-10, s.keyPlain(10), "a refused move changes nothing");
        assertEquals(-11, s.keyPlain(11), "a refused move changes nothing");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void bulkSetPlainWritesRunsAcrossSegmentsAsCellByCell(StoreKind kind) {
        CellStore s = store(kind, 4, 16);
        long[] keys = new long[40];
        long[] values = new long[40];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 500 + i;
            values[i] = -7L * i;
        }
        s.setPlain(13, 42, keys, values, 3, 35); // cells 13..47: the end of segment 0, all of 1 and 2
        for (long c = 0; c < s.capacity(); c++) {
            boolean written = c >= 13 && c < 48;
            assertEquals(written ? 42 : 0, s.metaPlain(c), "meta of cell " + c);
            assertEquals(written ? 500 + 3 + (c - 13) : 0, s.keyPlain(c), "key of cell " + c);
            assertEquals(written ? -7L * (3 + (c - 13)) : 0, s.valuePlain(c), "value of cell " + c);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> s.setPlain(60, 1, keys, values, 0, 5), "past the store's end");
        assertThrows(IndexOutOfBoundsException.class, () -> s.setPlain(0, 1, keys, values, 38, 5), "past the arrays' end");
        assertEquals(0, s.metaPlain(60), "a refused write changes nothing");
        assertEquals(0, s.keyPlain(0), "a refused write changes nothing");
    }

    /** The layout the store reports is the one its memory has: each word where {@link CellLayout} says. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void layoutIsTheDefaultOneWithMetaApartUnlessAskedOtherwise(StoreKind kind) {
        CellStore s = store(kind, 2, 8);
        CellLayout l = s.layout();
        assertEquals(8, l.segmentSize);
        CellLayout.Arrangement expected = kind.name().endsWith("INTERLEAVED") ? CellLayout.Arrangement.INTERLEAVED
                : kind.name().endsWith("COLUMNAR") ? CellLayout.Arrangement.COLUMNAR : CellLayout.Arrangement.SEPARATE_META;
        assertEquals(expected, l.arrangement);
        assertTrue(l.isBound(), "a store's layout places every word");
        if (expected == CellLayout.Arrangement.SEPARATE_META) {
            assertEquals(16 + 3, l.keyWord(11), "segment 1 starts at word 16 with its keys");
            assertEquals(16 + 8 + 3, l.valueWord(11), "its values 8 words later");
            assertEquals(11, l.metaSlot(11), "slot 11 of the meta column");
            assertEquals(32 * 8 + 11 * 4, l.metaByte(11), "the 32-bit meta column follows the 2 segments' 32 key and value words");
            assertEquals(16, l.runEnd(11));
            assertEquals(32, l.words(16));
            assertEquals(16 * 20, l.bytes(16), "20 bytes per cell");
            assertEquals(20, l.cellBytes());
        } else if (l.keysContiguous()) {
            assertEquals(24 + 8 + 3, l.keyWord(11), "segment 1 starts at word 24, its keys 8 words later");
            assertEquals(24 + 16 + 3, l.valueWord(11));
            assertEquals(24 + 3, l.metaSlot(11), "a 64-bit slot among the words");
            assertEquals((24 + 3) * 8, l.metaByte(11));
            assertEquals(16, l.runEnd(11));
        } else {
            assertEquals(34, l.keyWord(11));
            assertEquals(12, l.runEnd(11));
        }
        if (expected != CellLayout.Arrangement.SEPARATE_META) {
            assertEquals(48, l.words(16));
            assertEquals(16 * 24, l.bytes(16), "24 bytes per cell");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void compareAndSetSucceedsOnlyOnTheExpectedWord(StoreKind kind) {
        CellStore s = store(kind, 1, 8);
        s.setPlain(3, 10, 20, 30);
        assertFalse(s.metaCompareAndSet(3, 11, 12));
        assertEquals(10, s.metaPlain(3));
        assertTrue(s.metaCompareAndSet(3, 10, 11));
        assertEquals(11, s.metaAcquire(3));
        assertEquals(20, s.keyPlain(3));
        assertEquals(30, s.valuePlain(3));
        assertFalse(s.metaCompareAndSet(3, 10, 99));
        assertFalse(s.metaCompareAndSet(3, 1L << 32 | 11, 99), "an expected word wider than 32 bits is no meta word, even if its low half matches");
        assertEquals(11, s.metaPlain(3));
        assertTrue(s.metaCompareAndSet(3, 11, CellStore.MAX_META));
        assertEquals(CellStore.MAX_META, s.metaOpaque(3));
    }

    /** Meta words are 32 bits: a wider one is refused with the value named, and the cell keeps what it had. */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void metaWordsWiderThan32BitsAreRefusedAndChangeNothing(StoreKind kind) {
        CellStore s = store(kind, 1, 8);
        s.setPlain(2, 6, 20, 30);
        for (long bad : new long[] {1L << 32, -1L, Long.MIN_VALUE, CellStore.MAX_META + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.metaRelease(2, bad));
            assertTrue(e.getMessage().contains(Long.toString(bad)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.metaOpaque(2, bad));
            assertThrows(IllegalArgumentException.class, () -> s.metaCompareAndSet(2, 6, bad));
            assertThrows(IllegalArgumentException.class, () -> s.setPlain(2, bad, 21, 31));
            assertThrows(IllegalArgumentException.class, () -> s.setPlain(2, bad, new long[] {21}, new long[] {31}, 0, 1));
            assertEquals(6, s.metaPlain(2), "meta of the cell unchanged after " + bad);
            assertEquals(20, s.keyPlain(2));
            assertEquals(30, s.valuePlain(2));
            assertEquals(0, s.metaPlain(3), "neighbour untouched");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void checkIndexBounds(StoreKind kind) {
        CellStore s = store(kind, 3, 8);
        s.checkIndex(0);
        s.checkIndex(23);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.checkIndex(24));
        assertTrue(e.getMessage().contains("24"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> s.checkIndex(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> s.checkIndex(Long.MAX_VALUE));
        assertThrows(IndexOutOfBoundsException.class, () -> s.checkIndex(Long.MIN_VALUE));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void closeIsIdempotentAndFreedMemoryIsNeverTouched(StoreKind kind) {
        CellStore s = store(kind, 2, 8);
        s.setPlain(1, 1, 2, 3);
        s.close();
        assertFalse(s.isOpen());
        s.close();
        assertFalse(s.isOpen());
        if (kind.freesMemory()) {
            assertThrows(IllegalStateException.class, () -> s.metaAcquire(1));
            assertThrows(IllegalStateException.class, () -> s.keyOpaque(1));
            assertThrows(IllegalStateException.class, () -> s.setPlain(1, 0, 0, 0));
            assertThrows(IllegalStateException.class, () -> s.metaCompareAndSet(1, 1, 2));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void factoryPinsNestAndCloseReleasesEverything(StoreKind kind) {
        CellStore a = store(kind, 2, 8);
        CellStore b = factory.create(4, 8);
        long t1 = factory.pin();
        long t2 = factory.pin();
        factory.unpin(t2);
        factory.unpin(t1);
        factory.retire(a);
        factory.close(b, 0);
        assertFalse(b.isOpen());
        if (kind.freesMemory()) {
            assertFalse(a.isOpen(), "a retired store is released at close at the latest");
            assertThrows(IllegalStateException.class, () -> factory.create(1, 8));
        }
        factory.close(); // idempotent
    }

    /**
     * The seqlock pattern of the index on one cell, through this store's access modes: a writer
     * makes meta odd (CAS), writes key/value, makes it even (release); readers read meta
     * (acquire), key, value, fence, meta again and must never accept a torn pair.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void seqlockReadersNeverAcceptATornPair(StoreKind kind) throws Exception {
        CellStore s = store(kind, 1, 8);
        for (int c = 0; c < 8; c++) {
            s.setPlain(c, 0, 0, ~0L); // key x always goes with value ~x
        }
        long millis = Math.min(TestSettings.stressMillis(300), 300);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong validated = new AtomicLong();
        Thread writer = new Thread(() -> {
            long x = 0;
            while (!stop.get()) {
                for (int c = 0; c < 8; c++) {
                    long m = s.metaPlain(c);
                    if (!s.metaCompareAndSet(c, m, m + 1)) {
                        failure.set("uncontended CAS failed");
                        return;
                    }
                    VarHandle.storeStoreFence(); // the odd version is visible before the data stores
                    x++;
                    s.keyOpaque(c, x);
                    s.valueOpaque(c, ~x);
                    s.metaRelease(c, m + 2);
                }
            }
        });
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                long ok = 0;
                while (!stop.get()) {
                    for (int c = 0; c < 8; c++) {
                        long v1 = s.metaAcquire(c);
                        long k = s.keyOpaque(c);
                        long v = s.valueOpaque(c);
                        VarHandle.acquireFence();
                        long v2 = s.metaOpaque(c);
                        if ((v1 & 1) == 0 && v1 == v2) {
                            if (v != ~k) {
                                failure.compareAndSet(null, "torn pair in cell " + c + ": key " + k + " value " + v);
                            }
                            ok++;
                        }
                    }
                }
                validated.addAndGet(ok);
            });
        }
        writer.start();
        for (Thread t : readers) {
            t.start();
        }
        Thread.sleep(millis);
        stop.set(true);
        writer.join();
        for (Thread t : readers) {
            t.join();
        }
        assertNull(failure.get());
        assertTrue(validated.get() > 0, "readers validated no read at all");
    }
}
