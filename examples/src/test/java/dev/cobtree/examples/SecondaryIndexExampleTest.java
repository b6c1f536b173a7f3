package dev.cobtree.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class SecondaryIndexExampleTest {

    @Test
    void everyQueryAgreesWithTheFullTableScan() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SecondaryIndexExample.Result r = SecondaryIndexExample.run(40_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.ok(), out);
        assertEquals(7, r.queries().size(), out);
        for (SecondaryIndexExample.QueryResult q : r.queries()) assertTrue(q.matches(), q + "\n" + out);
        // Prices are uniform over $1.00..$999.99: $200..$700 holds about half of the orders.
        long wide = r.queries().get(3).rows();
        assertTrue(wide > 18_000 && wide < 22_000, "wide range rows " + wide);
        // The cached query answers the same rows warm as cold, and one more after the new order.
        assertEquals(r.queries().get(0).rows(), r.queries().get(4).rows());
        assertEquals(r.queries().get(4).rows(), r.queries().get(5).rows());
        assertEquals(r.queries().get(5).rows() + 1, r.queries().get(6).rows());
        assertTrue(r.queries().get(0).rows() > 0, "the first query should have answers");
        assertTrue(r.bitmapEntriesPerSecond() > 0);
        assertTrue(out.contains("check: OK") && !out.contains("MISMATCH"), out);
    }

    @Test
    void aWrongAnswerIsReportedAsAMismatch() {
        SecondaryIndexExample.Orders t = SecondaryIndexExample.Orders.generate(1000, new java.util.Random(1));
        var wrong = new SecondaryIndexExample.Result(1000, java.util.List.of(
                new SecondaryIndexExample.QueryResult("q", 3, 1, 1, 1, true), new SecondaryIndexExample.QueryResult("q", 3, 1, 1, 1, false)), 1);
        assertFalse(wrong.ok());
        assertEquals(1000, t.scan(row -> true).getLongCardinality());
    }
}
