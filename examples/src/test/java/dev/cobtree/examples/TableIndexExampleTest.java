package dev.cobtree.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableIndexExampleTest {

    @Test
    void everyQueryAgreesWithTheFullScanAndShowsItsPlan() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TableIndexExample.Result r = TableIndexExample.run(120_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.ok(), out);
        assertEquals(7, r.queries().size(), out);
        for (TableIndexExample.QueryResult q : r.queries()) {
            assertTrue(q.matches(), q + "\n" + out);
            assertTrue(q.plan().contains("estimated"), q.plan());
        }
        // The last hour of 30 days, above 100.0 (90%), SHIPPED (1 in 5): about 120,000 / 720 * 0.9 / 5 = 30 rows.
        long first = r.queries().get(0).rows();
        assertTrue(first > 5 && first < 80, "first query rows " + first);
        // the first query after one row moved in and one was deleted: the same count
        assertEquals(first, r.queries().get(6).rows(), out);
        // price in [10, 20) holds about 1% of the rows
        long wide = r.queries().get(5).rows();
        assertTrue(wide > 900 && wide < 1500, "price range rows " + wide);
        assertTrue(r.indexBytes() > 0 && r.heapBytes() > 0);
        assertTrue(out.contains("check: OK") && !out.contains("MISMATCH"), out);
    }
}
