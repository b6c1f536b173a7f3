package dev.cobtree.calcite;

import dev.cobtree.calcite.examples.SqlAnalyticsExample;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example at 200,000 events: every dashboard answer through SQL equals a loop over the arrays. */
class SqlAnalyticsExampleTest {
    @Test
    void dashboardAnswersMatchTheArrays() throws Exception {
        assertEquals(java.util.List.of(), SqlAnalyticsExample.run(200_000, true));
    }
}
