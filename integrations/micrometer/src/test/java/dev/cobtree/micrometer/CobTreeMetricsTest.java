package dev.cobtree.micrometer;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeStatistics;
import dev.cobtree.storage.OffHeapCellStoreFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CobTreeMetricsTest {

    private static double gauge(SimpleMeterRegistry r, String name) {
        Gauge g = r.get(name).tag("index", "orders").tag("region", "eu").gauge();
        return g.value();
    }

    private static double counter(SimpleMeterRegistry r, String name, String... tags) {
        FunctionCounter c = r.get(name).tag("index", "orders").tags(tags).functionCounter();
        return c.count();
    }

    @Test
    void everyMeterReadsTheTreesStatistics() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OffHeapCellStoreFactory f = new OffHeapCellStoreFactory(Long.MAX_VALUE, Integer.MAX_VALUE, false);
        try (CobTree tree = CobTree.builder().segmentSize(8).storage(f).build()) {
            CobTreeMetrics.monitor(registry, tree, "orders", "region", "eu");
            long ticket = f.pin(); // keeps every retired store in the backlog
            Random rnd = new Random(3);
            for (int i = 0; i < 20_000; i++) tree.put(rnd.nextLong(), i, -1);
            CobTreeStatistics s = tree.statistics();
            assertEquals(s.size(), gauge(registry, "cobtree.size"));
            assertEquals(s.memoryBytes(), gauge(registry, "cobtree.memory.used"));
            assertEquals(s.capacity(), gauge(registry, "cobtree.capacity"));
            assertEquals(s.resizes(), counter(registry, "cobtree.resizes"));
            assertEquals(s.rebalances(), counter(registry, "cobtree.rebalances"));
            assertEquals(s.rebalanceCellsMoved(), counter(registry, "cobtree.rebalance.cells.moved"));
            assertEquals(s.writerRetries(), counter(registry, "cobtree.retries", "operation", "write"));
            assertEquals(s.readerRetries(), counter(registry, "cobtree.retries", "operation", "read"));
            assertEquals(s.reclamationBacklogStores(), gauge(registry, "cobtree.reclamation.backlog"));
            assertEquals(s.reclamationBacklogBytes(), gauge(registry, "cobtree.reclamation.backlog.size"));
            assertTrue(s.resizes() > 0 && s.rebalances() > 0 && s.reclamationBacklogStores() > 0, s.toString());
            assertEquals("bytes", registry.get("cobtree.memory.used").gauge().getId().getBaseUnit());
            assertEquals(13, registry.getMeters().size());
            try (var snap = tree.snapshot()) {
                for (int i = 0; i < 2_000; i++) tree.put(rnd.nextLong(), i, -1); // pre-images and a held store
                CobTreeStatistics t = tree.statistics();
                assertEquals(1, gauge(registry, "cobtree.snapshots.open"));
                assertEquals(t.snapshotPreImageBytes(), gauge(registry, "cobtree.snapshots.preimages.size"));
                assertEquals(t.snapshotHeldStorages(), gauge(registry, "cobtree.snapshots.held.stores"));
                assertTrue(t.snapshotPreImageBytes() > 0, t.toString());
                assertEquals(snap.size(), s.size() + 0L, "the snapshot holds the size at its instant");
            }
            assertEquals(0, gauge(registry, "cobtree.snapshots.open"));
            assertEquals(0, gauge(registry, "cobtree.snapshots.preimages.size"));
            f.unpin(ticket);
        }
        // closed: gauges NaN, counters keep their last values
        assertTrue(Double.isNaN(gauge(registry, "cobtree.size")));
        assertTrue(counter(registry, "cobtree.resizes") > 0);
    }
}
