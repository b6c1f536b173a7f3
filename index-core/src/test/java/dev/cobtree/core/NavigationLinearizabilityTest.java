package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every navigation answer must have held at one instant inside the call (issue 8).
 *
 * <h2>How a reader knows which answers held</h2>
 * Each writer runs a fixed cyclic program of {@code put}/{@code remove} on keys it alone owns and
 * publishes a monotone <b>epoch</b> (the number of its operations completed, a volatile store after
 * each operation returns). The state of its keys after {@code e} operations is the program's phase
 * {@code e mod L}. A reader loads every writer's epoch before the call ({@code b}) and after it
 * ({@code a}): the writer's operation {@code b} may already have taken effect when the call started,
 * and operation {@code a+1} cannot have started before the call ended, so the states of that
 * writer's keys during the call are among the phases {@code b .. a+1}. Writers own disjoint keys, so
 * an answer is accepted iff some choice of one phase per writer inside its window (a superset of the
 * states the map really passed through) gives that answer on a {@link TreeMap} model. The answers of
 * every query in every combination of phases are computed up front, so a check is a table look-up.
 *
 * <h2>Layouts that cross segments</h2>
 * The trees are built with small segments and a large initial capacity, so the few keys sit in
 * segments separated by long runs of empty segments, and a navigation walks through hundreds of
 * segments; the writers cycle keys on both sides of such a run so that at every instant one of them
 * is present (the interleaving of the issue: the walk validates segment A, the writer inserts into A
 * and removes from B, the walk reaches B empty and answers from C). The default-settings case builds
 * the empty run through {@link CobTreeMap} the way an application would: two dense blocks whose gap
 * was filled and emptied again.
 *
 * <p>Queries cover the primitive {@link CobTree} API, the {@link CobTreeMap} methods (key and entry
 * forms, both directions) and views (sub/head/tail maps, the descending map, key sets). Every entry
 * answer also checks the value (each key always has the value {@link #valueOf}). The first wrong
 * answer stops the case with the answer, the allowed answers, the epochs and the phases.
 *
 * <p>Each case runs for {@code cobtree.stress.millis} (CI: 3 s; the poll cases, the two halves of
 * the default-settings case and the harness check half of it; the class takes about 20 s);
 * {@code -Dcobtree.seed=N} replays the readers' choice of queries (the interleaving is the
 * scheduler's).
 */
class NavigationLinearizabilityTest {

    static final long MILLIS = Long.getLong("cobtree.stress.millis", 3000);
    static final String NO_SUCH_ELEMENT = "NoSuchElementException";

    /** The value every key has whenever it is present. */
    static long valueOf(long key) {
        return key * 1_000_003L + 7;
    }

    // ---- cases --------------------------------------------------------------------------------

    /** The issue's repro: {10, 150} static, the writer cycles 60 (segment A) and 120 (segment B). */
    @Test
    void issueReproCeilingAndFloorAcrossEmptySegments() {
        Layout layout = new Layout("issue repro, segmentSize 8, initialCapacity 20000", 8, 20_000,
                keys(10, 150), List.of(new CyclicWriter("w", keys(120), "+60 -120 +120 -60")));
        run(layout, crossingQueries(50, 140), 2);
    }

    /** The same with bigger segments and longer empty runs, through views and the descending map. */
    @Test
    void viewsAndDescendingAcrossLongEmptyRuns() {
        Layout layout = new Layout("views, segmentSize 16, initialCapacity 200000", 16, 200_000,
                keys(10, 150), List.of(new CyclicWriter("w", keys(120), "+60 -120 +120 -60")));
        run(layout, viewQueries(50, 140), 2);
    }

    /**
     * No static key: the writer keeps one of 1000 (first segment) and 2000 (last segment) present, so
     * the map is never empty and first/last change across the whole array.
     */
    @Test
    void firstLastAndIsEmptyOfANeverEmptyMap() {
        Layout layout = new Layout("never empty, segmentSize 8, initialCapacity 20000", 8, 20_000,
                keys(), List.of(new CyclicWriter("w", keys(2000), "+1000 -2000 +2000 -1000")));
        run(layout, endQueries(), 2);
    }

    /** Two writers at once: first/last and crossings interleave in a product of phases. */
    @Test
    void twoWritersFirstLastAndCrossings() {
        // 1000 opens the array's middle segment [1000, 2000); 2000 is in the last segment
        Layout layout = new Layout("two writers, segmentSize 8, initialCapacity 20000", 8, 20_000,
                keys(), List.of(new CyclicWriter("low", keys(1000), "+500 -1000 +1000 -500"),
                        new CyclicWriter("high", keys(2000), "+1500 -2000 +2000 -1500")));
        List<Query> queries = new ArrayList<>(endQueries());
        queries.addAll(crossingQueries(600, 1900));
        run(layout, queries, 1);
    }

    /**
     * Default settings through {@code new CobTreeMap()}: two dense blocks, the gap between them
     * filled and emptied again (its ~450 segments stay, empty). First a writer cycles a gap key and
     * the far block's edge key, then one cycles a gap key and the near block's edge key; everything
     * else is static. One writer and one reader at a time: the test must fail on two cores.
     */
    @Test
    void defaultSettingsTwoBlocksWithEmptiedGap() {
        CobTreeMap map = new CobTreeMap();
        long block = 20_000;
        long far = 1_000_000;
        for (long k = 0; k < block; k++) {
            map.put(k, valueOf(k));
            map.put(far + k, valueOf(far + k));
        }
        for (long k = block; k < far; k += 24) {
            map.put(k, valueOf(k));
        }
        long filled = map.tree().capacity();
        for (long k = block; k < far; k += 24) {
            map.remove(k);
        }
        assertEquals(filled, map.tree().capacity(), "the emptied gap must keep its segments (no shrink)");
        long nearEdge = block - 1;
        long gapLow = 300_001;
        long gapHigh = 700_003;
        String name = "default CobTreeMap, blocks [0, " + block + ") and [" + far + ", " + (far + block) + "), emptied gap, capacity " + filled;

        Set<Long> stat = new TreeSet<>(map.keySet());
        stat.remove(far);
        run(new Layout(name + ", far edge", map, stat,
                List.of(new CyclicWriter("far", keys(far), "+" + gapHigh + " -" + far + " +" + far + " -" + gapHigh))),
                crossingQueries(block, far), 1, MILLIS / 2); // up: ceiling(block) crosses the gap; down: floor(far)

        stat = new TreeSet<>(map.keySet());
        stat.remove(nearEdge);
        run(new Layout(name + ", near edge", map, stat,
                List.of(new CyclicWriter("near", keys(nearEdge), "+" + gapLow + " -" + nearEdge + " +" + nearEdge + " -" + gapLow))),
                crossingQueries(nearEdge, far - 1), 1, MILLIS / 2); // up: ceiling(nearEdge); down: floor(far - 1) crosses the gap
    }

    /**
     * pollFirst / pollLast: the writer keeps at least two of its four keys present and a poller
     * removes one at a time and puts it back, so at every instant a writer key is present and the
     * static key beyond them is never first (last): polling it is a wrong answer.
     */
    @Test
    void pollFirstNeverTakesAnEntryThatWasNotFirst() throws Exception {
        pollCase(false);
    }

    @Test
    void pollLastNeverTakesAnEntryThatWasNotLast() throws Exception {
        pollCase(true);
    }

    /**
     * The harness itself must not reject a linearizable map: the repro's program and every
     * map-level query of the cases above, on {@link ConcurrentSkipListMap} (whose navigation
     * validates the path it answers from), must pass.
     */
    @Test
    void harnessAcceptsConcurrentSkipListMap() {
        ConcurrentSkipListMap<Long, Long> csl = new ConcurrentSkipListMap<>();
        for (long k : new long[] {10, 120, 150}) {
            csl.put(k, valueOf(k));
        }
        List<Query> queries = new ArrayList<>();
        for (Query q : viewQueries(50, 140)) {
            if (!q.name().startsWith("tree.")) {
                queries.add(q);
            }
        }
        for (Query q : endQueries()) {
            if (!q.name().startsWith("tree.")) {
                queries.add(q);
            }
        }
        run(new Layout("ConcurrentSkipListMap, the repro's program", csl, keys(10, 150),
                List.of(new CyclicWriter("w", keys(120), "+60 -120 +120 -60"))), queries, 1, MILLIS / 2);
    }

    // ---- queries ------------------------------------------------------------------------------

    /** A navigation question asked of the map under test and of a {@link TreeMap} model. */
    record Query(String name, Function<NavigableMap<Long, Long>, Object> real, Function<NavigableMap<Long, Long>, Object> model) {
        static Query of(String name, Function<NavigableMap<Long, Long>, Object> both) {
            return new Query(name, both, both);
        }

        /** A question to the primitive API of the tree behind the map. */
        static Query tree(String name, TreeNav nav, Function<NavigableMap<Long, Long>, Object> model) {
            return new Query(name, m -> {
                KeyValue kv = new KeyValue();
                return nav.ask(((CobTreeMap) m).tree(), kv) ? Map.entry(kv.key, kv.value) : null;
            }, model);
        }

        Object ask(NavigableMap<Long, Long> m) {
            try {
                return normalise((m instanceof CobTreeMap ? real : model).apply(m));
            } catch (NoSuchElementException e) {
                return NO_SUCH_ELEMENT;
            }
        }
    }

    interface TreeNav {
        boolean ask(CobTree tree, KeyValue out);
    }

    static Object normalise(Object answer) {
        return answer instanceof Map.Entry<?, ?> e ? e.getKey() + "=" + e.getValue() : answer;
    }

    /** Queries whose answer crosses the empty run between the segments of {@code up} and {@code down}. */
    static List<Query> crossingQueries(long up, long down) {
        List<Query> q = new ArrayList<>();
        q.add(Query.tree("tree.ceiling(" + up + ")", (t, kv) -> t.ceiling(up, kv), m -> m.ceilingEntry(up)));
        q.add(Query.tree("tree.higher(" + (up - 1) + ")", (t, kv) -> t.higher(up - 1, kv), m -> m.higherEntry(up - 1)));
        q.add(Query.tree("tree.floor(" + down + ")", (t, kv) -> t.floor(down, kv), m -> m.floorEntry(down)));
        q.add(Query.tree("tree.lower(" + (down + 1) + ")", (t, kv) -> t.lower(down + 1, kv), m -> m.lowerEntry(down + 1)));
        q.add(Query.of("ceilingKey(" + up + ")", m -> m.ceilingKey(up)));
        q.add(Query.of("ceilingEntry(" + up + ")", m -> m.ceilingEntry(up)));
        q.add(Query.of("higherKey(" + (up - 1) + ")", m -> m.higherKey(up - 1)));
        q.add(Query.of("higherEntry(" + (up - 1) + ")", m -> m.higherEntry(up - 1)));
        q.add(Query.of("floorKey(" + down + ")", m -> m.floorKey(down)));
        q.add(Query.of("floorEntry(" + down + ")", m -> m.floorEntry(down)));
        q.add(Query.of("lowerKey(" + (down + 1) + ")", m -> m.lowerKey(down + 1)));
        q.add(Query.of("lowerEntry(" + (down + 1) + ")", m -> m.lowerEntry(down + 1)));
        q.add(Query.of("tailMap(" + up + ").firstKey()", m -> m.tailMap(up, true).firstKey()));
        q.add(Query.of("headMap(" + down + ", true).lastKey()", m -> m.headMap(down, true).lastKey()));
        q.add(Query.of("descendingMap().floorKey(" + up + ")", m -> m.descendingMap().floorKey(up)));
        q.add(Query.of("descendingMap().ceilingKey(" + down + ")", m -> m.descendingMap().ceilingKey(down)));
        q.add(Query.of("subMap(" + up + ", " + down + "].isEmpty()", m -> m.subMap(up, true, down, true).isEmpty()));
        return q;
    }

    /** The crossing queries plus their forms through every kind of view. */
    static List<Query> viewQueries(long up, long down) {
        List<Query> q = new ArrayList<>(crossingQueries(up, down));
        q.add(Query.of("tailMap(" + up + ").firstEntry()", m -> m.tailMap(up, true).firstEntry()));
        q.add(Query.of("tailMap(" + (up - 1) + ", false).keySet().first()", m -> m.tailMap(up - 1, false).navigableKeySet().first()));
        q.add(Query.of("subMap(" + up + ", 10000).firstKey()", m -> m.subMap(up, 10_000L).firstKey()));
        q.add(Query.of("subMap(" + up + ", " + down + "].lastKey()", m -> m.subMap(up, true, down, true).lastKey()));
        q.add(Query.of("subMap(" + up + ", " + down + "].lastEntry()", m -> m.subMap(up, true, down, true).lastEntry()));
        q.add(Query.of("headMap(" + (down + 1) + ").lastKey()", m -> m.headMap(down + 1).lastKey()));
        q.add(Query.of("headMap(" + (down + 1) + ").descendingMap().firstKey()", m -> m.headMap(down + 1, false).descendingMap().firstKey()));
        q.add(Query.of("headMap(200).lastKey()", m -> m.headMap(200L).lastKey()));
        q.add(Query.of("descendingMap().tailMap(" + down + ").firstKey()", m -> m.descendingMap().tailMap(down, true).firstKey()));
        q.add(Query.of("descendingMap().headMap(" + (up - 1) + ").lastKey()", m -> m.descendingMap().headMap(up - 1, false).lastKey()));
        q.add(Query.of("descendingMap().higherKey(" + (down + 1) + ")", m -> m.descendingMap().higherKey(down + 1)));
        q.add(Query.of("descendingMap().lowerEntry(" + (up - 1) + ")", m -> m.descendingMap().lowerEntry(up - 1)));
        q.add(Query.of("descendingKeySet().ceiling(" + down + ")", m -> m.descendingKeySet().ceiling(down)));
        q.add(Query.of("descendingKeySet().floor(" + up + ")", m -> m.descendingKeySet().floor(up)));
        q.add(Query.of("navigableKeySet().ceiling(" + up + ")", m -> m.navigableKeySet().ceiling(up)));
        q.add(Query.of("navigableKeySet().lower(" + (down + 1) + ")", m -> m.navigableKeySet().lower(down + 1)));
        q.add(Query.of("keySet().tailSet(" + up + ").first()", m -> m.navigableKeySet().tailSet(up, true).first()));
        q.add(Query.of("keySet().headSet(" + down + ", true).last()", m -> m.navigableKeySet().headSet(down, true).last()));
        q.add(Query.of("subMap(" + up + ", " + down + "].descendingMap().firstEntry()", m -> m.subMap(up, true, down, true).descendingMap().firstEntry()));
        q.add(Query.of("subMap(" + up + ", " + down + "].keySet().isEmpty()", m -> m.subMap(up, true, down, true).navigableKeySet().isEmpty()));
        return q;
    }

    /** first / last / isEmpty in every form. */
    static List<Query> endQueries() {
        List<Query> q = new ArrayList<>();
        q.add(Query.tree("tree.first", CobTree::first, NavigableMap::firstEntry));
        q.add(Query.tree("tree.last", CobTree::last, NavigableMap::lastEntry));
        q.add(new Query("tree.isEmpty", m -> ((CobTreeMap) m).tree().isEmpty(), Map::isEmpty));
        q.add(new Query("tree.firstKey", m -> ((CobTreeMap) m).tree().firstKey(), NavigableMap::firstKey));
        q.add(new Query("tree.lastKey", m -> ((CobTreeMap) m).tree().lastKey(), NavigableMap::lastKey));
        q.add(Query.of("isEmpty()", Map::isEmpty));
        q.add(Query.of("firstKey()", NavigableMap::firstKey));
        q.add(Query.of("lastKey()", NavigableMap::lastKey));
        q.add(Query.of("firstEntry()", NavigableMap::firstEntry));
        q.add(Query.of("lastEntry()", NavigableMap::lastEntry));
        q.add(Query.of("ceilingKey(MIN)", m -> m.ceilingKey(Long.MIN_VALUE)));
        q.add(Query.of("floorEntry(MAX)", m -> m.floorEntry(Long.MAX_VALUE)));
        q.add(Query.of("descendingMap().firstKey()", m -> m.descendingMap().firstKey()));
        q.add(Query.of("descendingMap().lastEntry()", m -> m.descendingMap().lastEntry()));
        q.add(Query.of("descendingMap().isEmpty()", m -> m.descendingMap().isEmpty()));
        q.add(Query.of("keySet().first()", m -> m.navigableKeySet().first()));
        q.add(Query.of("descendingKeySet().first()", m -> m.descendingKeySet().first()));
        q.add(Query.of("keySet().isEmpty()", m -> m.navigableKeySet().isEmpty()));
        q.add(Query.of("entrySet().isEmpty()", m -> m.entrySet().isEmpty()));
        q.add(Query.of("tailMap(0).firstKey()", m -> m.tailMap(0L).firstKey()));
        q.add(Query.of("tailMap(0).isEmpty()", m -> m.tailMap(0L).isEmpty()));
        q.add(Query.of("headMap(5000).lastKey()", m -> m.headMap(5000L).lastKey()));
        q.add(Query.of("headMap(5000).isEmpty()", m -> m.headMap(5000L).isEmpty()));
        q.add(Query.of("subMap(0, 5000).firstEntry()", m -> m.subMap(0L, 5000L).firstEntry()));
        q.add(Query.of("subMap(0, 5000).descendingMap().firstKey()", m -> m.subMap(0L, true, 5000L, false).descendingMap().firstKey()));
        q.add(Query.of("subMap(0, 5000).isEmpty()", m -> m.subMap(0L, 5000L).isEmpty()));
        return q;
    }

    // ---- writers and layouts ------------------------------------------------------------------

    /**
     * A writer's cyclic program ("+60 -120 +120 -60": put 60, remove 120, ...) over keys it alone
     * owns, and the state of those keys in each phase (phase i = after i operations, mod L).
     */
    static final class CyclicWriter {
        final String name;
        final long[] keys;
        final boolean[] puts;
        final List<Set<Long>> phases = new ArrayList<>();
        final AtomicLong epoch = new AtomicLong();

        CyclicWriter(String name, Set<Long> initial, String program) {
            this.name = name;
            String[] ops = program.trim().split("\\s+");
            keys = new long[ops.length];
            puts = new boolean[ops.length];
            Set<Long> state = new TreeSet<>(initial);
            for (int i = 0; i < ops.length; i++) {
                phases.add(Set.copyOf(state));
                puts[i] = ops[i].charAt(0) == '+';
                keys[i] = Long.parseLong(ops[i].substring(1));
                if (puts[i] ? !state.add(keys[i]) : !state.remove(keys[i])) {
                    throw new IllegalArgumentException(name + ": operation " + ops[i] + " does not change the state " + state);
                }
            }
            if (!state.equals(initial)) {
                throw new IllegalArgumentException(name + ": program " + program + " does not return to " + initial);
            }
        }

        int length() {
            return keys.length;
        }

        Set<Long> ownedKeys() {
            Set<Long> all = new TreeSet<>();
            for (long k : keys) {
                all.add(k);
            }
            return all;
        }

        /**
         * Runs the program until stopped. {@code strict}: each operation must see the state its
         * phase says (no lost update); off when a poller also removes and restores these keys.
         */
        void run(NavigableMap<Long, Long> map, boolean strict, AtomicBoolean stop, AtomicReference<Throwable> failure) {
            long e = epoch.get();
            int i = (int) (e % keys.length);
            while (!stop.get() || i != 0) { // a stopped writer completes its cycle: the keys are as they began
                long k = keys[i];
                Long previous = puts[i] ? map.put(k, valueOf(k)) : map.remove(k);
                Long expected = puts[i] ? null : valueOf(k);
                if (strict && !Objects.equals(previous, expected)) {
                    failure.compareAndSet(null, new AssertionError("writer " + name + " op " + (puts[i] ? "+" : "-") + k
                            + " at epoch " + e + " returned " + previous + ", expected " + expected));
                    return;
                }
                epoch.set(++e); // volatile: operation e-1 has taken effect before readers see epoch e
                i = i + 1 == keys.length ? 0 : i + 1;
            }
        }
    }

    /** The map under test, its keys that never change, and the writers. */
    static final class Layout {
        final String name;
        final NavigableMap<Long, Long> map;
        final Set<Long> staticKeys;
        final List<CyclicWriter> writers;

        Layout(String name, NavigableMap<Long, Long> map, Set<Long> staticKeys, List<CyclicWriter> writers) {
            this.name = name;
            this.map = map;
            this.staticKeys = staticKeys;
            this.writers = writers;
        }

        /** A tree bulk-built from the static keys and the writers' initial keys. */
        Layout(String name, int segmentSize, long initialCapacity, Set<Long> staticKeys, List<CyclicWriter> writers) {
            this(name, new CobTreeMap(build(segmentSize, initialCapacity, staticKeys, writers)), staticKeys, writers);
        }

        private static CobTree build(int segmentSize, long initialCapacity, Set<Long> staticKeys, List<CyclicWriter> writers) {
            TreeSet<Long> initial = new TreeSet<>(staticKeys);
            writers.forEach(w -> initial.addAll(w.phases.get(0)));
            long[] k = initial.stream().mapToLong(Long::longValue).toArray();
            long[] v = Arrays.stream(k).map(NavigationLinearizabilityTest::valueOf).toArray();
            return CobTree.builder().segmentSize(segmentSize).initialCapacity(initialCapacity).buildFromSorted(k, v, 0, k.length);
        }
    }

    static Set<Long> keys(long... keys) {
        Set<Long> s = new TreeSet<>();
        for (long k : keys) {
            s.add(k);
        }
        return s;
    }

    // ---- the run ------------------------------------------------------------------------------

    /** Expected answers: {@code table[query][combination of phases]} (mixed radix over the writers). */
    static Object[][] answerTable(Layout layout, List<Query> queries) {
        int combos = 1;
        for (CyclicWriter w : layout.writers) {
            combos *= w.length();
        }
        Object[][] table = new Object[queries.size()][combos];
        for (int c = 0; c < combos; c++) {
            NavigableMap<Long, Long> model = modelOf(layout, phasesOf(layout, c));
            for (int q = 0; q < queries.size(); q++) {
                table[q][c] = queries.get(q).ask(model);
            }
        }
        return table;
    }

    static int[] phasesOf(Layout layout, int combo) {
        int[] p = new int[layout.writers.size()];
        for (int w = 0; w < p.length; w++) {
            int len = layout.writers.get(w).length();
            p[w] = combo % len;
            combo /= len;
        }
        return p;
    }

    static NavigableMap<Long, Long> modelOf(Layout layout, int[] phases) {
        NavigableMap<Long, Long> m = new TreeMap<>();
        layout.staticKeys.forEach(k -> m.put(k, valueOf(k)));
        for (int w = 0; w < phases.length; w++) {
            layout.writers.get(w).phases.get(phases[w]).forEach(k -> m.put(k, valueOf(k)));
        }
        return m;
    }

    private void run(Layout layout, List<Query> queries, int readers) {
        run(layout, queries, readers, MILLIS);
    }

    private void run(Layout layout, List<Query> queries, int readers, long millis) {
        long seed = StoreKinds.seed("NavigationLinearizabilityTest " + layout.name);
        for (CyclicWriter w : layout.writers) {
            for (long k : w.ownedKeys()) {
                if (layout.staticKeys.contains(k)) {
                    throw new IllegalArgumentException("key " + k + " is both static and " + w.name + "'s");
                }
            }
        }
        Object[][] table = answerTable(layout, queries);
        NavigableMap<Long, Long> map = layout.map;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder calls = new LongAdder();
        int nw = layout.writers.size();
        CountDownLatch started = new CountDownLatch(nw + readers);
        List<Thread> threads = new ArrayList<>();
        for (CyclicWriter w : layout.writers) {
            threads.add(new Thread(() -> {
                started.countDown();
                try {
                    w.run(map, true, stop, failure);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "writer-" + w.name));
        }
        for (int r = 0; r < readers; r++) {
            SplittableRandom rnd = new SplittableRandom(seed + r);
            threads.add(new Thread(() -> {
                started.countDown();
                long[] before = new long[nw];
                long[] after = new long[nw];
                long n = 0;
                try {
                    while (!stop.get()) {
                        int q = rnd.nextInt(queries.size());
                        for (int w = 0; w < nw; w++) {
                            before[w] = layout.writers.get(w).epoch.get();
                        }
                        Object answer = queries.get(q).ask(map);
                        for (int w = 0; w < nw; w++) {
                            after[w] = layout.writers.get(w).epoch.get();
                        }
                        n++;
                        if (!allowed(layout, table[q], before, after, answer)) {
                            failure.compareAndSet(null, new AssertionError(describe(layout, queries.get(q), table[q], before, after, answer, n, seed)));
                            break;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    calls.add(n);
                }
            }, "reader-" + r));
        }
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        try {
            started.await();
            while (failure.get() == null && System.nanoTime() - t0 < millis * 1_000_000) {
                Thread.sleep(10);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder epochs = new StringBuilder();
        layout.writers.forEach(w -> epochs.append(' ').append(w.name).append('=').append(w.epoch.get()));
        System.out.printf("NavigationLinearizabilityTest [%s]: %,d checked calls in %,d ms, writer epochs%s%n",
                layout.name, calls.sum(), ms, epochs);
        Throwable f = failure.get();
        if (f instanceof AssertionError a) {
            throw a;
        }
        if (f != null) {
            throw new AssertionError("[" + layout.name + "] seed " + seed, f);
        }
    }

    /** Whether some choice of one phase per writer inside its epoch window gives {@code answer}. */
    static boolean allowed(Layout layout, Object[] expected, long[] before, long[] after, Object answer) {
        int nw = before.length;
        int[] lo = new int[nw];
        int[] span = new int[nw];
        for (int w = 0; w < nw; w++) {
            int len = layout.writers.get(w).length();
            lo[w] = (int) (before[w] % len);
            span[w] = (int) Math.min(len, after[w] + 2 - before[w]); // phases before .. after+1
        }
        int[] off = new int[nw];
        for (;;) {
            int combo = 0;
            int radix = 1;
            for (int w = 0; w < nw; w++) {
                int len = layout.writers.get(w).length();
                combo += ((lo[w] + off[w]) % len) * radix;
                radix *= len;
            }
            if (Objects.equals(expected[combo], answer)) {
                return true;
            }
            int w = 0;
            while (w < nw && ++off[w] == span[w]) {
                off[w] = 0;
                w++;
            }
            if (w == nw) {
                return false;
            }
        }
    }

    static String describe(Layout layout, Query query, Object[] expected, long[] before, long[] after, Object answer, long n, long seed) {
        Set<Object> allowedAnswers = new LinkedHashSet<>();
        StringBuilder phases = new StringBuilder();
        int nw = before.length;
        for (int c = 0; c < expected.length; c++) {
            int[] p = phasesOf(layout, c);
            boolean inside = true;
            for (int w = 0; w < nw && inside; w++) {
                int len = layout.writers.get(w).length();
                long span = Math.min(len, after[w] + 2 - before[w]);
                inside = Math.floorMod(p[w] - before[w], len) < span;
            }
            if (inside) {
                allowedAnswers.add(expected[c]);
            }
        }
        for (int w = 0; w < nw; w++) {
            CyclicWriter cw = layout.writers.get(w);
            phases.append(String.format("%n  writer %s: epoch before %d, after %d; its keys in phases %d..%d: ", cw.name, before[w], after[w], before[w], after[w] + 1));
            for (long e = before[w]; e <= Math.min(after[w] + 1, before[w] + cw.length() - 1); e++) {
                phases.append(cw.phases.get((int) (e % cw.length()))).append(' ');
            }
        }
        return String.format("[%s] %s returned %s, which held at no instant of the call; allowed %s (call %,d of this reader, seed %d)%s",
                layout.name, query.name(), answer, allowedAnswers, n, seed, phases);
    }

    // ---- polls --------------------------------------------------------------------------------

    /**
     * The repro's shape for polls. Ascending: the writer cycles 100 (first segment) and 4000 (half
     * the array further on), static 9000 is in the last segment. Descending: the writer cycles 9000
     * (last segment) and 5000 (in the segment of static 10, half the array back). The single poller
     * puts back what it polled before polling again, so during each poll every key of the writer's
     * current phase is present (a key the writer then removed may linger, which only adds keys):
     * a writer key is present at every instant, and the static key is never first (last).
     */
    private static final String[][] POLLS = {
            {"map.pollFirstEntry()", "tree.pollFirst", "tailMap(0).pollFirstEntry()", "keySet().pollFirst()"},
            {"map.pollLastEntry()", "tree.pollLast", "headMap(100000).pollLastEntry()", "descendingKeySet().pollFirst()"}};

    private void pollCase(boolean descending) throws InterruptedException {
        long never = descending ? 10 : 9000;
        long a = descending ? 9000 : 4000; // present at the start: it shapes the segments with the static key
        long b = descending ? 5000 : 100;
        CyclicWriter writer = new CyclicWriter("w", keys(a), String.format("+%d -%d +%d -%d", b, a, a, b));
        Layout layout = new Layout((descending ? "pollLast" : "pollFirst") + ", segmentSize 8, initialCapacity 20000",
                8, 20_000, keys(never), List.of(writer));
        CobTreeMap map = (CobTreeMap) layout.map;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder polls = new LongAdder();
        Thread wt = new Thread(() -> writer.run(map, false, stop, failure), "writer");
        Thread pt = new Thread(() -> {
            long n = 0;
            KeyValue kv = new KeyValue();
            try {
                while (!stop.get()) {
                    int via = (int) (n & 3);
                    Map.Entry<Long, Long> e = switch (via) {
                        case 0 -> descending ? map.pollLastEntry() : map.pollFirstEntry();
                        case 1 -> (descending ? map.tree().pollLast(kv) : map.tree().pollFirst(kv)) ? Map.entry(kv.key, kv.value) : null;
                        case 2 -> descending ? map.headMap(100_000L).pollLastEntry() : map.tailMap(0L).pollFirstEntry();
                        default -> {
                            Long k = descending ? map.descendingKeySet().pollFirst() : map.navigableKeySet().pollFirst();
                            yield k == null ? null : Map.entry(k, valueOf(k));
                        }
                    };
                    boolean got = e != null;
                    if (got) {
                        kv.set(e.getKey(), e.getValue());
                    }
                    n++;
                    if (!got || kv.key == never || kv.value != valueOf(kv.key)) {
                        failure.compareAndSet(null, new AssertionError(String.format(
                                "[%s] %s returned %s at poll %,d (writer epoch %d): one of %s was present at every instant,"
                                        + " so %d was never %s", layout.name, POLLS[descending ? 1 : 0][via],
                                got ? kv : "nothing", n, writer.epoch.get(), "[" + a + ", " + b + "]", never, descending ? "last" : "first")));
                        return;
                    }
                    map.tree().put(kv.key, kv.value, 0); // put it back: the writer's phases stay covered
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                polls.add(n);
            }
        }, "poller");
        long t0 = System.nanoTime();
        wt.start();
        pt.start();
        while (failure.get() == null && System.nanoTime() - t0 < MILLIS * 1_000_000 / 2) {
            Thread.sleep(10);
        }
        stop.set(true);
        wt.join();
        pt.join();
        System.out.printf("NavigationLinearizabilityTest [%s]: %,d polls in %,d ms, writer epoch %d%n",
                layout.name, polls.sum(), (System.nanoTime() - t0) / 1_000_000, writer.epoch.get());
        if (failure.get() instanceof AssertionError wrong) {
            throw wrong;
        }
        if (failure.get() != null) {
            throw new AssertionError(layout.name, failure.get());
        }
    }
}
