package dev.cobtree.core;

import dev.cobtree.core.LinearizabilityChecker.Kind;
import dev.cobtree.core.LinearizabilityChecker.Op;
import dev.cobtree.core.LinearizabilityChecker.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.cobtree.core.LinearizabilityChecker.ABSENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linearizability of recorded concurrent histories (issue 8): threads run short random programs of
 * put/remove/ceiling/floor/higher/lower/first/last/isEmpty/pollFirst/pollLast on a small key set,
 * every call stamped with {@link System#nanoTime()} before and after, and
 * {@link LinearizabilityChecker} searches for a linearization against a sequential model.
 *
 * <p>The tree is pre-built with segment size 8 and a large initial capacity, so the seven keys
 * writes may touch sit in segments separated by runs of hundreds of empty segments and every
 * navigation crosses them. Threads are reused and released together by a spin barrier, so their
 * programs really overlap on two cores.
 *
 * <p>The checker is tested first: it must reject hand-made non-linearizable histories and accept
 * linearizable ones, accept every real history of a {@code synchronized TreeMap} (no false alarm
 * from the timestamps), and flag a map whose ceiling reads its two halves in two critical sections
 * (so a green run is not vacuous). CI checks {@code cobtree.histories} histories of the tree
 * (default 4000 each, without and with polls; each part also stops after 2 x cobtree.stress.millis); {@code -Dcobtree.histories=200000} for a long run;
 * {@code -Dcobtree.seed=N} replays the programs (the interleaving is the scheduler's);
 * {@code cobtree.histories.threads} (3) and {@code cobtree.histories.capacity} (20000) vary the shape.
 */
class HistoryLinearizabilityTest {

    static final int HISTORIES = Integer.getInteger("cobtree.histories", 4000);
    /** CI also stops each part after twice {@code cobtree.stress.millis} (a loaded machine); an explicit count runs in full. */
    static final long MILLIS = System.getProperty("cobtree.histories") != null ? Long.MAX_VALUE / 4_000_000
            : 2 * Long.getLong("cobtree.stress.millis", 3000);
    static final int THREADS = Integer.getInteger("cobtree.histories.threads", 3);
    static final int CAPACITY = Integer.getInteger("cobtree.histories.capacity", 20_000);
    static final long[] UNIVERSE = {100, 200, 300, 400, 500, 600, 700};

    static HistoryRunner runner;

    @BeforeAll
    static void startThreads() {
        runner = new HistoryRunner(THREADS);
    }

    @AfterAll
    static void stopThreads() throws InterruptedException {
        runner.close();
    }

    // ---- the checker on hand-made histories ---------------------------------------------------

    static long[] state(Map<Long, Long> entries) {
        long[] s = new long[UNIVERSE.length];
        Arrays.fill(s, ABSENT);
        entries.forEach((k, v) -> s[Arrays.binarySearch(UNIVERSE, k)] = v);
        return s;
    }

    static Op op(int thread, Kind kind, long key, long value, long invoke, long response) {
        return new Op(thread, kind, key, value).at(invoke, response);
    }

    @Test
    void checkerRejectsNonLinearizableHistories() {
        LinearizabilityChecker c = new LinearizabilityChecker(UNIVERSE, state(Map.of(100L, 1L, 400L, 4L, 700L, 7L)));
        // the interleaving: while T1 puts 200 and then removes 400, ceiling(150) is 200 or 400, never 700
        List<Op> crossed = List.of(
                op(0, Kind.CEILING, 150, 0, 0, 100).returned(true, 700, 7),
                op(1, Kind.PUT, 200, 2, 10, 20).returned(false, 0, 0),
                op(1, Kind.REMOVE, 400, 0, 30, 40).returned(true, 0, 4));
        Result r = c.check(crossed);
        assertFalse(r.linearizable(), "must reject: " + LinearizabilityChecker.format(crossed));
        assertTrue(r.longestPrefix().size() < crossed.size());

        // isEmpty true on a map that always holds 400 or 200
        List<Op> empty = List.of(
                op(0, Kind.IS_EMPTY, 0, 0, 0, 100).returned(true, 0, 0),
                op(1, Kind.PUT, 200, 2, 10, 20).returned(false, 0, 0),
                op(1, Kind.REMOVE, 400, 0, 30, 40).returned(true, 0, 4));
        assertFalse(new LinearizabilityChecker(UNIVERSE, state(Map.of(400L, 4L))).check(empty).linearizable());

        // a stale read: floor(350) after put(300) completed
        List<Op> stale = List.of(
                op(0, Kind.PUT, 300, 3, 0, 10).returned(false, 0, 0),
                op(1, Kind.FLOOR, 350, 0, 20, 30).returned(true, 100, 1));
        assertFalse(c.check(stale).linearizable(), "a completed put must be seen by a later floor");

        // two pollFirst calls cannot both take the same entry
        List<Op> twice = List.of(
                op(0, Kind.POLL_FIRST, 0, 0, 0, 50).returned(true, 100, 1),
                op(1, Kind.POLL_FIRST, 0, 0, 0, 50).returned(true, 100, 1));
        assertFalse(c.check(twice).linearizable(), "two polls took one entry");

        // program order: a thread's second call cannot be placed before its first, even when a
        // coarse clock gives them touching intervals
        List<Op> order = List.of(
                op(0, Kind.REMOVE, 100, 0, 0, 10).returned(true, 0, 1),
                op(0, Kind.FIRST, 0, 0, 10, 20).returned(true, 100, 1));
        assertFalse(c.check(order).linearizable(), "first() after the thread removed 100 cannot return it");
    }

    @Test
    void checkerAcceptsLinearizableHistories() {
        LinearizabilityChecker c = new LinearizabilityChecker(UNIVERSE, state(Map.of(100L, 1L, 400L, 4L, 700L, 7L)));
        // overlapping calls that linearize only in an order different from their invocation order
        List<Op> h = List.of(
                op(0, Kind.PUT, 200, 2, 0, 100).returned(false, 0, 0),
                op(1, Kind.CEILING, 150, 0, 10, 20).returned(true, 400, 4),  // before the put
                op(2, Kind.CEILING, 150, 0, 30, 40).returned(true, 200, 2),  // after it
                op(1, Kind.REMOVE, 400, 0, 50, 60).returned(true, 0, 4),
                op(2, Kind.POLL_LAST, 0, 0, 45, 200).returned(true, 700, 7),
                op(1, Kind.LAST, 0, 0, 70, 80).returned(true, 700, 7),      // the poll is still pending
                op(0, Kind.POLL_FIRST, 0, 0, 150, 160).returned(true, 100, 1),
                op(0, Kind.IS_EMPTY, 0, 0, 210, 220).returned(false, 0, 0),
                op(0, Kind.HIGHER, 100, 0, 230, 240).returned(true, 200, 2),
                op(1, Kind.LOWER, 200, 0, 230, 240).returned(false, 0, 0));
        Result r = c.check(h);
        assertTrue(r.linearizable(), "must accept: " + LinearizabilityChecker.format(h));
        assertEquals(h.size(), r.linearization().size());
        assertTrue(r.linearization().indexOf(h.get(1)) < r.linearization().indexOf(h.get(0)));
        assertTrue(r.linearization().indexOf(h.get(0)) < r.linearization().indexOf(h.get(2)));
        assertTrue(r.linearization().indexOf(h.get(5)) < r.linearization().indexOf(h.get(4)));
    }

    /** Real histories of a map that is linearizable by construction (one lock) are all accepted. */
    @Test
    void checkerAcceptsEveryRealHistoryOfALockedTreeMap() {
        long seed = StoreKinds.seed("HistoryLinearizabilityTest locked TreeMap");
        int histories = Math.max(500, HISTORIES / 4);
        long deadline = System.nanoTime() + MILLIS * 1_000_000;
        for (int i = 0; i < histories && System.nanoTime() < deadline; i++) {
            SplittableRandom rnd = new SplittableRandom(seed + i);
            long[] initial = randomInitial(rnd);
            Verdict v = runOne(new LockedTreeMap(initial, false), initial, rnd, true);
            assertTrue(v.result.linearizable(), () -> v.report("locked TreeMap (linearizable by construction)", seed, -1));
        }
    }

    /** A ceiling that reads [key, 400) and [400, +inf) in two critical sections must be caught. */
    @Test
    void checkerCatchesACeilingThatReadsTwoHalvesNonAtomically() {
        long seed = StoreKinds.seed("HistoryLinearizabilityTest split ceiling");
        int cap = 50_000;
        for (int i = 0; i < cap; i++) {
            SplittableRandom rnd = new SplittableRandom(seed + i);
            long[] initial = randomInitial(rnd);
            Verdict v = runOne(new LockedTreeMap(initial, true), initial, rnd, false);
            if (!v.result.linearizable()) {
                System.out.printf("HistoryLinearizabilityTest: the split-ceiling map was caught at history %,d:%s%n",
                        i + 1, LinearizabilityChecker.format(v.history));
                return;
            }
        }
        throw new AssertionError("the checker accepted " + cap + " histories of a map whose ceiling is not atomic (seed " + seed + ")");
    }

    // ---- the tree -----------------------------------------------------------------------------

    /**
     * Histories of the tree (its primitive API and {@link CobTreeMap}, alternately) of
     * put/remove/ceiling/floor/higher/lower/first/last/isEmpty: all must be linearizable. Fails on
     * the first that is not, with the history and the longest linearizable prefix.
     */
    @Test
    void cobTreeHistoriesAreLinearizable() {
        checkTree("CobTree", false);
    }

    /** The same with pollFirst/pollLast in the mix: the polled entry must be first (last) when removed. */
    @Test
    void cobTreeHistoriesWithPollsAreLinearizable() {
        checkTree("CobTree with polls", true);
    }

    private void checkTree(String name, boolean polls) {
        long seed = StoreKinds.seed("HistoryLinearizabilityTest " + name);
        long t0 = System.nanoTime();
        long ops = 0;
        int histories = HISTORIES;
        long deadline = System.nanoTime() + MILLIS * 1_000_000;
        int i = 0;
        for (; i < histories && System.nanoTime() < deadline; i++) {
            SplittableRandom rnd = new SplittableRandom(seed + i);
            long[] initial = randomInitial(rnd);
            CobTree tree = build(initial);
            Target target = (i & 1) == 0 ? new TreeTarget(tree) : new MapTarget(new CobTreeMap(tree));
            Verdict v = runOne(target, initial, rnd, polls);
            ops += v.history.size();
            if (!v.result.linearizable()) {
                throw new AssertionError(v.report(target.name(), seed, i));
            }
        }
        System.out.printf("HistoryLinearizabilityTest [%s]: %,d histories (%,d operations) linearizable in %,d ms%n",
                name, i, ops, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Segment size 8, room for 20000 entries: ~3800 segments, so the keys are hundreds of segments apart. */
    static CobTree build(long[] initial) {
        long[] keys = new long[UNIVERSE.length];
        long[] values = new long[UNIVERSE.length];
        int n = 0;
        for (int i = 0; i < UNIVERSE.length; i++) {
            if (initial[i] != ABSENT) {
                keys[n] = UNIVERSE[i];
                values[n++] = initial[i];
            }
        }
        return CobTree.builder().segmentSize(8).initialCapacity(CAPACITY).buildFromSorted(keys, values, 0, n);
    }

    // ---- histories ----------------------------------------------------------------------------

    record Verdict(long[] initial, List<Op> history, Result result) {
        String report(String target, long seed, int index) {
            StringBuilder init = new StringBuilder();
            for (int i = 0; i < UNIVERSE.length; i++) {
                if (initial[i] != ABSENT) {
                    init.append(init.isEmpty() ? "" : ", ").append(UNIVERSE[i]).append('=').append(initial[i]);
                }
            }
            return String.format("history %d of %s is not linearizable (seed %d; replay the programs with -Dcobtree.seed=%d)%n"
                            + "  initial {%s}; the calls:%s%n  longest linearizable prefix (%d of %d): %s",
                    index, target, seed, seed, init, LinearizabilityChecker.format(history),
                    result.longestPrefix().size(), history.size(), result.longestPrefix());
        }
    }

    /** 1..7 of the universe keys present, with values key / 10 (puts write values >= 1000). */
    static long[] randomInitial(SplittableRandom rnd) {
        long[] s = new long[UNIVERSE.length];
        boolean any = false;
        for (int i = 0; i < s.length; i++) {
            boolean present = rnd.nextInt(3) != 0;
            s[i] = present ? UNIVERSE[i] / 10 : ABSENT;
            any |= present;
        }
        if (!any) {
            int i = rnd.nextInt(s.length);
            s[i] = UNIVERSE[i] / 10;
        }
        return s;
    }

    static Verdict runOne(Target target, long[] initial, SplittableRandom rnd, boolean polls) {
        if (Arrays.stream(initial).allMatch(v -> v == ABSENT)) {
            throw new IllegalStateException();
        }
        List<List<Op>> programs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int n = 6 + rnd.nextInt(5);
            List<Op> p = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j + 1 < n && rnd.nextInt(3) == 0) {
                    // a crossing pair: put one key, then remove another, so that a concurrent walk
                    // that has passed the first key's segment and not yet reached the second's
                    // would see neither (issue 8's interleaving, both directions)
                    long a = UNIVERSE[rnd.nextInt(UNIVERSE.length)];
                    long b = UNIVERSE[rnd.nextInt(UNIVERSE.length)];
                    p.add(new Op(t, Kind.PUT, a, (t + 1) * 1000L + j));
                    p.add(new Op(t, Kind.REMOVE, b, 0));
                    j++;
                } else {
                    p.add(randomOp(rnd, t, j, polls));
                }
            }
            programs.add(p);
        }
        List<Op> history = runner.run(target, programs);
        return new Verdict(initial, history, new LinearizabilityChecker(UNIVERSE, initial).check(history));
    }

    static Op randomOp(SplittableRandom rnd, int thread, int index, boolean polls) {
        long key = UNIVERSE[rnd.nextInt(UNIVERSE.length)];
        long between = rnd.nextBoolean() ? key : key - 50; // a query key on a key or in the gap below it
        int r = rnd.nextInt(polls ? 100 : 92);
        Kind kind = r < 22 ? Kind.PUT : r < 40 ? Kind.REMOVE : r < 52 ? Kind.CEILING : r < 64 ? Kind.FLOOR
                : r < 70 ? Kind.HIGHER : r < 76 ? Kind.LOWER : r < 82 ? Kind.FIRST : r < 88 ? Kind.LAST
                : r < 92 ? Kind.IS_EMPTY : r < 96 ? Kind.POLL_FIRST : Kind.POLL_LAST;
        long k = kind == Kind.PUT || kind == Kind.REMOVE ? key : kind.takesKey() ? between : 0;
        return new Op(thread, kind, k, (thread + 1) * 1000L + index);
    }

    // ---- targets ------------------------------------------------------------------------------

    /** A map under test: performs an operation and records its outcome in it. */
    interface Target {
        void apply(Op op, KeyValue scratch);

        String name();
    }

    record TreeTarget(CobTree tree) implements Target {
        @Override
        public void apply(Op op, KeyValue kv) {
            boolean found = switch (op.kind) {
                case PUT -> tree.put(op.key, op.value, kv);
                case REMOVE -> tree.remove(op.key, kv);
                case CEILING -> tree.ceiling(op.key, kv);
                case FLOOR -> tree.floor(op.key, kv);
                case HIGHER -> tree.higher(op.key, kv);
                case LOWER -> tree.lower(op.key, kv);
                case FIRST -> tree.first(kv);
                case LAST -> tree.last(kv);
                case IS_EMPTY -> tree.isEmpty();
                case POLL_FIRST -> tree.pollFirst(kv);
                case POLL_LAST -> tree.pollLast(kv);
            };
            op.returned(found, kv.key, kv.value);
        }

        @Override
        public String name() {
            return "CobTree (primitive API)";
        }
    }

    record MapTarget(NavigableMap<Long, Long> map) implements Target {
        @Override
        public void apply(Op op, KeyValue kv) {
            switch (op.kind) {
                case PUT -> value(op, map.put(op.key, op.value));
                case REMOVE -> value(op, map.remove(op.key));
                case CEILING -> entry(op, map.ceilingEntry(op.key));
                case FLOOR -> entry(op, map.floorEntry(op.key));
                case HIGHER -> entry(op, map.higherEntry(op.key));
                case LOWER -> entry(op, map.lowerEntry(op.key));
                case FIRST -> entry(op, map.firstEntry());
                case LAST -> entry(op, map.lastEntry());
                case IS_EMPTY -> op.returned(map.isEmpty(), 0, 0);
                case POLL_FIRST -> entry(op, map.pollFirstEntry());
                case POLL_LAST -> entry(op, map.pollLastEntry());
            }
        }

        static void value(Op op, Long previous) {
            op.returned(previous != null, 0, previous == null ? 0 : previous);
        }

        static void entry(Op op, Map.Entry<Long, Long> e) {
            op.returned(e != null, e == null ? 0 : e.getKey(), e == null ? 0 : e.getValue());
        }

        @Override
        public String name() {
            return map.getClass().getSimpleName();
        }
    }

    /**
     * A TreeMap under one lock: linearizable. With {@code splitCeiling}, ceiling/higher/first/isEmpty
     * look in {@code [key, 400)} and then in {@code [400, +inf)} in two critical sections, the shape
     * of issue 8's bug: an answer from the upper half can miss an entry inserted into the lower half
     * meanwhile.
     */
    static final class LockedTreeMap implements Target {
        static final long SPLIT = 400;
        private final TreeMap<Long, Long> map = new TreeMap<>();
        private final boolean splitCeiling;

        LockedTreeMap(long[] initial, boolean splitCeiling) {
            for (int i = 0; i < UNIVERSE.length; i++) {
                if (initial[i] != ABSENT) {
                    map.put(UNIVERSE[i], initial[i]);
                }
            }
            this.splitCeiling = splitCeiling;
        }

        @Override
        public void apply(Op op, KeyValue kv) {
            if (splitCeiling && (op.kind == Kind.CEILING || op.kind == Kind.HIGHER || op.kind == Kind.FIRST || op.kind == Kind.IS_EMPTY)) {
                long from = switch (op.kind) {
                    case CEILING -> op.key;
                    case HIGHER -> op.key + 1;
                    default -> Long.MIN_VALUE;
                };
                Map.Entry<Long, Long> e = null;
                if (from < SPLIT) {
                    synchronized (this) {
                        e = map.subMap(from, true, SPLIT, false).firstEntry();
                    }
                    Thread.yield(); // the window between the two halves
                }
                if (e == null) {
                    synchronized (this) {
                        e = map.ceilingEntry(Math.max(from, SPLIT));
                    }
                }
                if (op.kind == Kind.IS_EMPTY) {
                    op.returned(e == null, 0, 0);
                } else {
                    MapTarget.entry(op, e);
                }
                return;
            }
            synchronized (this) {
                new MapTarget(map).apply(op, kv);
            }
        }

        @Override
        public String name() {
            return splitCeiling ? "TreeMap with a split ceiling" : "locked TreeMap";
        }
    }

    // ---- running programs concurrently --------------------------------------------------------

    /**
     * Worker threads that run one program each per history: parked between histories, released
     * together (they spin until the last one is ready), timestamps around every call.
     */
    static final class HistoryRunner implements AutoCloseable {
        private final Thread[] workers;
        private final AtomicInteger ready = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile int armed;
        private volatile int go;
        private volatile boolean closed;
        private volatile Thread caller;
        private volatile Target target;
        private volatile List<List<Op>> programs;

        HistoryRunner(int threads) {
            workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> work(id), "history-" + t);
                workers[t].setDaemon(true);
                workers[t].start();
            }
        }

        private void work(int id) {
            KeyValue kv = new KeyValue();
            for (int round = 1; ; round++) {
                while (armed < round) {
                    if (closed) {
                        return;
                    }
                    LockSupport.park(this);
                }
                ready.incrementAndGet();
                for (int spins = 0; go < round; spins++) {
                    if (spins > 20_000) { // ~50 us of spinning, then give the core to a late worker
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
                try {
                    for (Op op : programs.get(id)) {
                        op.invoke = System.nanoTime();
                        target.apply(op, kv);
                        op.response = System.nanoTime();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                if (done.incrementAndGet() == workers.length) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /** Runs {@code programs.get(t)} on worker t, all starting together; the history, every call stamped. */
        List<Op> run(Target target, List<List<Op>> programs) {
            this.target = target;
            this.programs = programs;
            this.caller = Thread.currentThread();
            ready.set(0);
            done.set(0);
            int round = armed + 1;
            armed = round; // volatile: publishes target and programs
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            for (int spins = 0; ready.get() < workers.length; spins++) {
                if (spins > 1_000) {
                    Thread.yield();
                }
            }
            go = round;
            while (done.get() < workers.length) {
                LockSupport.park(this);
            }
            if (failure.get() != null) {
                throw new AssertionError("a worker failed", failure.get());
            }
            List<Op> history = new ArrayList<>();
            programs.forEach(history::addAll);
            return history;
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            for (Thread w : workers) {
                LockSupport.unpark(w);
                w.join(1_000);
            }
        }
    }
}
