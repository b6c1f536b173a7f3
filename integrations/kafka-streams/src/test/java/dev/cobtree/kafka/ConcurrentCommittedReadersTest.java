package dev.cobtree.kafka;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * READ_COMMITTED readers while the stream thread writes and commits. Each writer step moves one
 * key (deletes a present key, then puts an absent one), so the live store briefly holds
 * {@code N - 1} keys, but every commit point holds exactly {@code N}. Readers must see exactly
 * {@code N} in every committed count and scan (an iterator across later commits too), and only
 * {@code InvalidStateStoreException} after the store closes under them.
 */
class ConcurrentCommittedReadersTest {
    private static final int N = 1_000;
    private static final int SPACE = 4_000;

    @Test
    void committedReadsSeeOnlyCommitPointsWhileTheWriterCommits() throws Exception {
        long millis = Long.getLong("cobtree.stress.millis", 2000);
        long seed = Long.getLong("cobtree.kafka.seed", System.nanoTime());
        System.out.println("ConcurrentCommittedReadersTest seed " + seed);
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("cc", 8, new CapturingStoreContext());
        boolean[] present = new boolean[SPACE];
        for (int i = 0; i < N; i++) {
            present[i * 4] = true;
            store.put(key(i * 4), new byte[] {1});
        }
        store.commit(Map.of());
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        QueryConfig rc = new QueryConfig(false, IsolationLevel.READ_COMMITTED);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong commits = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        Thread writer = new Thread(() -> {
            Random rnd = new Random(seed);
            try {
                while (!stop.get()) {
                    int steps = 1 + rnd.nextInt(20);
                    for (int s = 0; s < steps; s++) {
                        int out;
                        do {
                            out = rnd.nextInt(SPACE);
                        } while (!present[out]);
                        int in;
                        do {
                            in = rnd.nextInt(SPACE);
                        } while (present[in]);
                        store.delete(key(out));
                        present[out] = false;
                        store.put(key(in), new byte[] {2});
                        present[in] = true;
                    }
                    store.commit(Map.of());
                    commits.incrementAndGet();
                }
            } catch (InvalidStateStoreException closed) {
                // the store closed under the writer
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int id = r;
            readers.add(new Thread(() -> {
                try {
                    while (true) {
                        assertEquals(N, committed.approximateNumEntries(), "committed size");
                        QueryResult<Long> count = store.query(RangeCountQuery.of(KeyRange.all()), PositionBound.unbounded(), rc);
                        if (!count.isSuccess()) {
                            assertTrue(count.getFailureMessage().contains("closed"), count.getFailureMessage());
                            return;
                        }
                        assertEquals(N, count.getResult(), "committed RangeCountQuery");
                        try (KeyValueIterator<Bytes, byte[]> it = id == 0 ? committed.all() : committed.reverseAll()) {
                            int n = 0;
                            Bytes prev = null;
                            while (it.hasNext()) {
                                KeyValue<Bytes, byte[]> kv = it.next();
                                if (prev != null) {
                                    int c = prev.compareTo(kv.key);
                                    assertTrue(id == 0 ? c < 0 : c > 0, "order");
                                }
                                prev = kv.key;
                                n++;
                                if ((n & 127) == 0) {
                                    Thread.yield(); // let commits happen mid-scan
                                }
                            }
                            assertEquals(N, n, "committed scan");
                        }
                        reads.incrementAndGet();
                    }
                } catch (InvalidStateStoreException closed) {
                    // the store closed under the reader
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        writer.start();
        readers.forEach(Thread::start);
        Thread.sleep(millis);
        stop.set(true);
        writer.join();
        assertNull(failure.get(), () -> "seed " + seed + ": " + failure.get());
        store.close();
        for (Thread t : readers) {
            t.join(10_000);
        }
        assertNull(failure.get(), () -> "seed " + seed + ": " + failure.get());
        System.out.println("ConcurrentCommittedReadersTest: " + commits.get() + " commits, " + reads.get() + " committed scans");
        assertTrue(commits.get() > 10 && reads.get() > 10, commits.get() + " commits, " + reads.get() + " scans");
    }

    private static Bytes key(long k) {
        return CobTreeKeyValueStoreModelTest.key(k);
    }
}
