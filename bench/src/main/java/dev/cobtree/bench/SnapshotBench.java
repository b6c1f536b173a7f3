package dev.cobtree.bench;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.KeyValue;
import dev.cobtree.core.LongObjectTree;
import dev.cobtree.core.LongObjectTreeSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * What snapshots cost (issue 16), baselines in the same run.
 *
 * <p>{@link Writes}: random writes (a put and a remove of random keys in [0, 2n), so the tree
 * stays near n = 10^6 entries) with {@code open} snapshots: {@code none} (never taken: only the
 * writers' gate), {@code 1} and {@code 8} held for the whole run (each segment is copied once per
 * snapshot generation, so after the first pass writes cost what they cost with none), and
 * {@code 1-renew} / {@code 8-renew}, where the oldest snapshot is closed and a new one taken every
 * 10,000 operations (the drain and the pre-image copies keep being paid; counted in the score).
 * Score: ns per operation (two writes).
 *
 * <p>{@link Scans}: a full ascending scan of 10^6 entries through a cursor, {@code live} (the
 * tree's weakly consistent cursor), {@code snapshot} (a fresh snapshot: every segment read live
 * under its seqlock) and {@code snapshotPreImaged} (a snapshot after 10^6 random writes: most
 * segments read from pre-images). Score: ms per scan.
 *
 * <p>{@link ObjectScans}: the same three sources over a {@code LongObjectTree<Object>} holding the
 * shared value objects of {@link SharedValues}, scanned whole through a cursor and through
 * {@code forEachInRange} ({@code path}), the value's id folded into the sum. Score: ms per scan.
 *
 * <p>{@link ShortScans}: 100-entry range scans from random keys over a {@code snapshot} (fresh)
 * or a {@code snapshotPreImaged} one, through a cursor that knows where the range ends
 * ({@code bounded}: {@code cursor(lo, true, hi, true)}) or one that does not ({@code unbounded}:
 * {@code cursor(lo, true)}, the caller stopping at the first key past hi, as every caller did
 * before bounded snapshot cursors). Baselines in the same run: a {@code ConcurrentSkipListMap}
 * holding the same keys, as inserted ({@code cslmFresh}) and compacted ({@code cslmCompacted}),
 * scanned through {@code subMap(lo, true, hi, true)} ({@code bounded}) or {@code tailMap(lo, true)}
 * stopped past hi ({@code unbounded}). Score: ns per scan.
 */
public class SnapshotBench {

    static final int N = 1_000_000;

    static CobTree build(SplittableRandom rnd) {
        CobTree t = new CobTree();
        for (int i = 0; i < N; i++) {
            long k = rnd.nextLong(2L * N);
            t.put(k, k, 0);
        }
        return t;
    }

    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 4, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
    public static class Writes {
        @Param({"none", "1", "8", "1-renew", "8-renew"})
        public String open;

        private CobTree tree;
        private final ArrayDeque<CobTreeSnapshot> held = new ArrayDeque<>();
        private SplittableRandom rnd;
        private int renewEvery;
        private long ops;

        @Setup(Level.Trial)
        public void setUp() {
            rnd = new SplittableRandom(42);
            tree = build(rnd);
            int count = open.equals("none") ? 0 : Integer.parseInt(open.replace("-renew", ""));
            renewEvery = open.endsWith("-renew") ? 10_000 : 0;
            for (int i = 0; i < count; i++) {
                held.add(tree.snapshot());
            }
        }

        @Benchmark
        public long putAndRemove() {
            if (renewEvery != 0 && ++ops % renewEvery == 0) {
                held.poll().close();
                held.add(tree.snapshot());
            }
            long a = rnd.nextLong(2L * N);
            long b = rnd.nextLong(2L * N);
            return tree.put(a, a, 0) + tree.remove(b, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            held.forEach(CobTreeSnapshot::close);
            tree.close();
        }
    }

    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 4, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
    public static class Scans {
        @Param({"live", "snapshot", "snapshotPreImaged"})
        public String source;

        private CobTree tree;
        private CobTreeSnapshot snap;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rnd = new SplittableRandom(42);
            tree = build(rnd);
            if (!source.equals("live")) {
                snap = tree.snapshot();
                if (source.equals("snapshotPreImaged")) {
                    for (int i = 0; i < N; i++) {
                        long k = rnd.nextLong(2L * N);
                        tree.put(k, -k, 0); // updates and inserts: most segments keep a pre-image
                    }
                }
            }
        }

        @Benchmark
        public long fullScan() {
            long sum = 0;
            if (snap != null) {
                CobTreeSnapshot.Cursor c = snap.cursor();
                while (c.next()) {
                    sum += c.value();
                }
            } else {
                CobTree.Cursor c = tree.cursor();
                while (c.next()) {
                    sum += c.value();
                }
            }
            return sum;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (snap != null) {
                snap.close();
            }
            tree.close();
        }
    }

    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 4, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
    public static class ObjectScans {
        @Param({"live", "snapshot", "snapshotPreImaged"})
        public String source;

        @Param({"cursor", "forEachInRange"})
        public String path;

        private LongObjectTree<Object> tree;
        private LongObjectTreeSnapshot<Object> snap;
        private long acc;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rnd = new SplittableRandom(42);
            tree = new LongObjectTree<>();
            for (int i = 0; i < N; i++) {
                long k = rnd.nextLong(2L * N);
                tree.put(k, SharedValues.of(k));
            }
            if (!source.equals("live")) {
                snap = tree.snapshot();
                if (source.equals("snapshotPreImaged")) {
                    for (int i = 0; i < N; i++) {
                        long k = rnd.nextLong(2L * N);
                        tree.put(k, SharedValues.of(k + 1)); // most segments keep a pre-image
                    }
                }
            }
        }

        @Benchmark
        public long fullScan() {
            acc = 0;
            if (path.equals("cursor")) {
                long sum = 0;
                if (snap != null) {
                    LongObjectTreeSnapshot.Cursor<Object> c = snap.cursor();
                    while (c.next()) {
                        sum += SharedValues.id(c.value());
                    }
                } else {
                    LongObjectTree.Cursor<Object> c = tree.cursor();
                    while (c.next()) {
                        sum += SharedValues.id(c.value());
                    }
                }
                return sum;
            }
            if (snap != null) {
                snap.forEachInRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true, (k, v) -> acc += SharedValues.id(v));
            } else {
                tree.forEachInRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true, (k, v) -> acc += SharedValues.id(v));
            }
            return acc;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (snap != null) {
                snap.close();
            }
            tree.close();
        }
    }

    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 4, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
    public static class ShortScans {
        /** Entries per scan (the keys are about 2 apart: a range of twice as many keys). */
        static final int LENGTH = 100;

        @Param({"snapshot", "snapshotPreImaged", "cslmFresh", "cslmCompacted"})
        public String source;

        @Param({"bounded", "unbounded"})
        public String cursor;

        private CobTree tree;
        private CobTreeSnapshot snap;
        private Prebuilt<ConcurrentSkipListMap<Long, Long>> prebuilt;
        private ConcurrentSkipListMap<Long, Long> map;
        private long[] starts;
        private int next;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rnd = new SplittableRandom(42);
            if (source.startsWith("cslm")) {
                long[] keys = new long[N];
                for (int i = 0; i < N; i++) {
                    keys[i] = rnd.nextLong(2L * N); // the keys build() puts, in the same order
                }
                Candidates.HeapMode mode = Candidates.heapMode(source);
                prebuilt = new Prebuilt<>(source, mode, N, () -> {
                    ConcurrentSkipListMap<Long, Long> m = new ConcurrentSkipListMap<>();
                    for (long k : keys) {
                        m.put(k, k);
                    }
                    return m;
                });
            } else {
                tree = build(rnd);
                snap = tree.snapshot();
            }
            if (source.equals("snapshotPreImaged")) {
                for (int i = 0; i < N; i++) {
                    long k = rnd.nextLong(2L * N);
                    tree.put(k, k + 1, 0);
                }
            }
            starts = new long[1 << 16];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = rnd.nextLong(2L * N - 2 * LENGTH);
            }
        }

        @Setup(Level.Iteration)
        public void keepState() {
            if (prebuilt != null) {
                map = prebuilt.current(); // rebuilt when a collection may have compacted a fresh map
            }
        }

        @Benchmark
        public long scan() {
            long lo = starts[next++ & (starts.length - 1)];
            long hi = lo + 2 * LENGTH;
            long sum = 0;
            if (map != null) {
                if (cursor.equals("bounded")) {
                    for (java.util.Map.Entry<Long, Long> e : map.subMap(lo, true, hi, true).entrySet()) {
                        sum += e.getKey() ^ e.getValue();
                    }
                } else {
                    for (java.util.Map.Entry<Long, Long> e : map.tailMap(lo, true).entrySet()) {
                        if (e.getKey() > hi) {
                            break;
                        }
                        sum += e.getKey() ^ e.getValue();
                    }
                }
            } else if (cursor.equals("bounded")) {
                CobTreeSnapshot.Cursor c = snap.cursor(lo, true, hi, true);
                while (c.next()) {
                    sum += c.key() ^ c.value();
                }
            } else {
                CobTreeSnapshot.Cursor c = snap.cursor(lo, true);
                while (c.next() && c.key() <= hi) {
                    sum += c.key() ^ c.value();
                }
            }
            return sum;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (snap != null) {
                snap.close();
                tree.close();
            }
        }
    }

    /** For a quick check outside JMH that the setups run. */
    public static void main(String[] args) {
        KeyValue kv = new KeyValue();
        try (CobTree t = build(new SplittableRandom(1)); CobTreeSnapshot s = t.snapshot()) {
            System.out.println(s.size() + " entries, first " + (s.first(kv) ? kv.key : -1));
        }
    }
}
