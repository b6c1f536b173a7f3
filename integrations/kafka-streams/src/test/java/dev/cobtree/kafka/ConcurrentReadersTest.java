package dev.cobtree.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interactive-query threads read while the stream thread writes, then the store closes under
 * them. Keys {@code 2i} (both signs) are present throughout; the writer puts and deletes keys
 * {@code 2i + 1}. Readers must see Kafka's byte order strictly ascending (or descending), every
 * present-throughout key, counts between the stable and the full key count, and after the close
 * only {@code InvalidStateStoreException}.
 */
class ConcurrentReadersTest {
    private static final int HALF = 2_000;

    @Test
    void readersDuringWritesAndClose() throws Exception {
        long millis = Long.getLong("cobtree.stress.millis", 3000);
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("c", 8, new CapturingStoreContext());
        List<Long> stable = new ArrayList<>();
        for (int i = -HALF / 2; i < HALF / 2; i++) {
            store.put(key(2L * i), new byte[] {1});
            stable.add(2L * i);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        CountDownLatch started = new CountDownLatch(3);
        Thread writer = new Thread(() -> {
            Random rnd = new Random(1);
            started.countDown();
            while (!stop.get()) {
                long k = 2L * (rnd.nextInt(HALF) - HALF / 2) + 1;
                try {
                    if (rnd.nextBoolean()) {
                        store.put(key(k), new byte[] {2});
                    } else {
                        store.delete(key(k));
                    }
                } catch (InvalidStateStoreException closed) {
                    return;
                }
            }
        });
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            boolean descending = r == 1;
            readers.add(new Thread(() -> {
                started.countDown();
                Random rnd = new Random(descending ? 3 : 2);
                try {
                    while (true) {
                        scan(store, descending, stable);
                        long n = CobTreeKeyValueStoreModelTest.answer(store, RangeCountQuery.of(KeyRange.all()));
                        if (n < HALF || n > 2L * HALF) {
                            throw new AssertionError("count " + n + " outside [" + HALF + ", " + 2 * HALF + "]");
                        }
                        long k = stable.get(rnd.nextInt(stable.size()));
                        if (store.get(key(k)) == null) {
                            throw new AssertionError("present key " + k + " read as absent");
                        }
                        reads.incrementAndGet();
                    }
                } catch (InvalidStateStoreException closed) {
                    // the store closed: the only exception a reader may see
                } catch (AssertionError e) {
                    if (store.isOpen() || !String.valueOf(e.getMessage()).contains("closed")) {
                        failure.compareAndSet(null, e);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        writer.start();
        readers.forEach(Thread::start);
        started.await();
        Thread.sleep(millis);
        store.close(); // under the readers and the writer
        stop.set(true);
        writer.join();
        for (Thread t : readers) {
            t.join();
        }
        assertNull(failure.get(), () -> "reader failed: " + failure.get());
        assertTrue(reads.get() > 0, "readers completed no round");
    }

    /** One full scan: strictly monotone in Kafka's order, every stable key present. */
    private static void scan(CobTreeKeyValueStore store, boolean descending, List<Long> stable) {
        int seenStable = 0;
        Bytes prev = null;
        try (KeyValueIterator<Bytes, byte[]> it = descending ? store.reverseAll() : store.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                if (prev != null && (descending ? kv.key.compareTo(prev) >= 0 : kv.key.compareTo(prev) <= 0)) {
                    throw new AssertionError("not strictly monotone: " + prev + " then " + kv.key);
                }
                prev = kv.key;
                if (kv.value[0] == 1) {
                    seenStable++;
                }
            }
        }
        if (seenStable != stable.size()) {
            throw new AssertionError("scan saw " + seenStable + " of " + stable.size() + " present-throughout keys");
        }
    }

    private static Bytes key(long k) {
        return CobTreeKeyValueStoreModelTest.key(k);
    }
}
