package dev.cobtree.query;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RangeTest {

    @Test
    void boundsAndMembership() {
        Range r = Range.halfOpen(3, 7);
        assertEquals(3, r.first());
        assertEquals(6, r.last());
        assertTrue(r.contains(3));
        assertTrue(r.contains(6));
        assertFalse(r.contains(7));
        assertFalse(r.contains(2));
        assertEquals("[3, 7)", r.toString());
        assertEquals("(3, 7]", Range.openClosed(3, 7).toString());
        assertEquals(4, Range.open(3, 7).first());
        assertEquals(6, Range.open(3, 7).last());
        assertEquals(7, Range.closed(3, 7).last());
    }

    @Test
    void sameKeysMeansEqual() {
        assertEquals(Range.halfOpen(3, 7), Range.closed(3, 6));
        assertEquals(Range.halfOpen(3, 7).hashCode(), Range.closed(3, 6).hashCode());
        assertEquals(Range.open(2, 7), Range.closed(3, 6));
        assertNotEquals(Range.closed(3, 7), Range.closed(3, 6));
        assertEquals(Range.halfOpen(5, 5), Range.open(5, 6));
        assertEquals(Range.all(), Range.closed(Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(Range.singleton(4), Range.closed(4, 4));
    }

    @Test
    void emptyRanges() {
        assertTrue(Range.halfOpen(5, 5).isEmpty());
        assertTrue(Range.open(5, 6).isEmpty());
        assertTrue(Range.of(5, false, 5, true).isEmpty());
        assertFalse(Range.singleton(5).isEmpty());
        assertTrue(Range.greaterThan(Long.MAX_VALUE).isEmpty());
        assertTrue(Range.lessThan(Long.MIN_VALUE).isEmpty());
        assertFalse(Range.singleton(Long.MAX_VALUE).isEmpty());
        assertFalse(Range.halfOpen(5, 5).contains(5));
        assertThrows(IllegalStateException.class, () -> Range.open(5, 6).first());
        assertTrue(Range.closed(0, 10).encloses(Range.halfOpen(5, 5)));
        assertTrue(Range.closed(0, 10).encloses(Range.open(0, 11)));
        assertFalse(Range.closed(0, 10).encloses(Range.closed(0, 11)));
    }

    @Test
    void extremesDoNotOverflow() {
        Range r = Range.open(Long.MAX_VALUE - 2, Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE - 1, r.first());
        assertEquals(Long.MAX_VALUE - 1, r.last());
        Range s = Range.open(Long.MIN_VALUE, Long.MIN_VALUE + 2);
        assertEquals(Long.MIN_VALUE + 1, s.first());
        assertTrue(Range.all().contains(Long.MIN_VALUE));
        assertTrue(Range.all().contains(Long.MAX_VALUE));
    }

    @Test
    void lowerAboveUpperIsRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Range.halfOpen(9, 4));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Range.of(1, true, 0, true));
    }
}
