package dev.cobtree.core;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A reader under a writer that never pauses (for {@link LockedReadsTest} and
 * {@link ReaderTurnsTest}): a tree of 100,000 keys {@code 0, 10, 20, ...} and 64 consecutive keys
 * from {@link #BASE}; one thread removes and puts back those 64 keys in turn, without pause, while
 * another runs a read step on a random one of them, for a while.
 */
final class BusySegment {

    /** The first of the 64 keys the writer cycles through. */
    static final long BASE = 1_000_000;

    /** One step of the reader: reads around {@code key} (asserting its answers) and returns how many reads it made. */
    interface ReadStep {
        int read(CobTree tree, long key, KeyValue kv);
    }

    /** What a run did: the reader's reads and the writer's remove-and-put pairs. */
    record Result(long reads, long writePairs) {
    }

    private BusySegment() {
    }

    /** A tree with 128-cell segments holding the background keys and the 64 keys from {@link #BASE}. */
    static CobTree tree() {
        CobTree tree = CobTree.builder().segmentSize(128).build();
        for (long k = 0; k < 100_000; k++) {
            tree.put(k * 10, k, 0L);
        }
        for (long k = BASE; k < BASE + 64; k++) {
            tree.put(k, k, 0L);
        }
        return tree;
    }

    /** Runs the writer and a reader taking {@code step} on keys in {@code [BASE + 1, BASE + 63)} for {@code millis}; rethrows what the reader threw. */
    static Result run(CobTree tree, long millis, ReadStep step) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] writes = new long[1];
        Thread writer = new Thread(() -> {
            long i = 0;
            while (!stop.get()) {
                long k = BASE + (i++ & 63);
                tree.remove(k, 0L);
                tree.put(k, k, 0L);
            }
            writes[0] = i;
        });
        long[] reads = new long[1];
        Thread reader = new Thread(() -> {
            try {
                KeyValue kv = new KeyValue();
                SplittableRandom rnd = new SplittableRandom(7);
                while (!stop.get()) {
                    reads[0] += step.read(tree, BASE + rnd.nextInt(1, 63), kv);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        reader.start();
        Thread.sleep(millis);
        stop.set(true);
        writer.join();
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return new Result(reads[0], writes[0]);
    }
}
