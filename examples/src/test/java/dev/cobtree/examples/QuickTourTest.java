package dev.cobtree.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class QuickTourTest {

    @Test
    void bothStructuresAgreeAndTheTableIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        QuickTour.Result r = QuickTour.run(30_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.ok(), r + "\n" + out);
        assertEquals(30_000, r.entries());
        assertEquals(30_000, r.cobtreeSize());
        // Every other probe is a key that was inserted, so at least half of them hit.
        assertTrue(r.cobtreeHits() >= r.lookups() / 2, r.toString());
        // Keys are 8i + (0..7): a tenth of the key space holds about a tenth of the entries.
        assertEquals(r.cobtreeScanCount(), r.cobtreeRangeCount());
        assertTrue(Math.abs(r.cobtreeScanCount() - 3_000) <= 2, r.toString());
        assertTrue(out.contains("ConcurrentSkipListMap") && out.contains("random lookups") && out.contains("check: OK"), out);
        assertTrue(out.contains("not a benchmark"), out);
        assertTrue(out.contains("(median of " + QuickTour.SCAN_ROUNDS + " rounds)"), "the scan row is the steady state of alternating rounds: " + out);
    }

    @Test
    void sizeArgumentsAreReadLikeAPersonWritesThem() {
        assertEquals(1_000_000, SizeArgument.parse(new String[] {"1_000_000"}, 5));
        assertEquals(1_000_000, SizeArgument.parse(new String[] {"1,000,000"}, 5));
        assertEquals(250_000, SizeArgument.parse(new String[] {"250k"}, 5));
        assertEquals(10_000_000, SizeArgument.parse(new String[] {"10M"}, 5));
        assertEquals(5, SizeArgument.parse(new String[0], 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeArgument.parse(new String[] {"lots"}, 5));
        assertTrue(e.getMessage().contains("lots"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeArgument.parse(new String[] {"0"}, 5));
    }
}
