package dev.cobtree.core;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lincheck scenarios whose navigations really cross segments (issue 8). Unlike
 * {@link CobTreeMapLincheckTest}, whose trees are small enough that a walk rarely leaves its first
 * segment, every scenario here starts from a pre-built tree with segment size 8 and room for 200
 * entries: 39 segments, the entries {10, 120, 150} in segments 12, 25 and 38 with runs of twelve
 * empty segments between them. The keys the operations write ({5, 10, 60, 120, 150, 200}) fall into
 * the first segment (5), 10's segment (10, 60), 120's segment and the last segment; the query keys
 * ({0, 50, 130, 175}) sit in front of the empty runs, so ceiling/floor/higher/lower/first/last/
 * pollFirst/isEmpty walk across them.
 *
 * <p>Model checking runs the hand-made scenarios of the bug first (a navigation in one thread; in
 * the other, an insert behind the walk and a remove ahead of it, in both directions, for ceiling,
 * floor, first, last, pollFirst and isEmpty), then random scenarios; stress mode runs random
 * scenarios on real threads. {@code -Dcobtree.lincheck.scale=N} multiplies the random scenarios
 * (CI: about 20 s for the class; each invocation builds its 39-segment tree under instrumentation).
 * {@link LincheckCanaryTest} keeps proving that Lincheck instruments this project's classes.
 */
class NavigationLincheckTest {

    static final int SCALE = Integer.getInteger("cobtree.lincheck.scale", 1);
    static final long[] INITIAL = {10, 120, 150};
    static final long[] KEYS = {5, 10, 60, 120, 150, 200};
    static final long[] QUERIES = {0, 50, 130, 175};
    /** Interleavings explored per hand-made scenario (the bug needs one switch: the old engine fails all eight within 20). */
    static final int CROSSING_INVOCATIONS = 100 * SCALE;

    static long valueOf(long key) {
        return key * 7 + 1;
    }

    /** One hand-made crossing scenario per navigation kind; each must survive model checking. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("crossingScenarios")
    void modelCheckingTheCrossingInterleavings(String name, ExecutionScenario scenario) {
        LinChecker.check(CrossingScenario.class, new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .iterations(0)
                .invocationsPerIteration(CROSSING_INVOCATIONS)
                .minimizeFailedScenario(false)
                .addCustomScenario(scenario));
    }

    /**
     * Canary for the engine's own instrumentation: a ceiling that walks with the engine's read
     * protocol but skips the multi-segment confirmation (the bug this class guards against) must
     * be caught. Unlike {@link LincheckCanaryTest}, whose races live in the test's own classes,
     * this race lives inside the engine classes ({@code ReadWalk}, {@code SegmentHeaders}, the cell
     * store), so it is caught only while Lincheck really instruments them (ASM 9.11, for one, made
     * it skip {@code SegmentWriter} silently).
     */
    @Test
    void anUnconfirmedWalkIsCaughtSoTheEngineIsInstrumented() throws NoSuchMethodException {
        Method unconfirmed = UnconfirmedCeiling.class.getMethod("unconfirmedCeilingKey", int.class);
        Actor reader = new Actor(unconfirmed, List.of(Arrays.binarySearch(QUERIES, 50) + 1), false, false, false, false, false);
        ExecutionScenario bug = scenario(List.of(), List.of(reader), List.of(a("put", 60), a("remove", 120)));
        AssertionError caught = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () ->
                LinChecker.check(UnconfirmedCeiling.class, new ModelCheckingOptions()
                        .sequentialSpecification(UnconfirmedSpec.class)
                        .iterations(0)
                        .invocationsPerIteration(CROSSING_INVOCATIONS)
                        .minimizeFailedScenario(false)
                        .addCustomScenario(bug)),
                "model checking did not catch a ceiling without confirmation: are the engine classes instrumented?");
        org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(caught.getMessage()).contains("unconfirmedCeilingKey"), caught.getMessage());
    }

    /** {@link CrossingScenario} plus the old, unconfirmed ceiling walk (for the canary only). */
    public static class UnconfirmedCeiling extends CrossingScenario {
        @Operation
        public Long unconfirmedCeilingKey(@Param(name = "query") int q) {
            TreeEngine e = map.tree().engine();
            ReadWalk w = new ReadWalk().start(e, query(q));
            long key = query(q);
            for (;;) {
                if (!w.open()) {
                    w.restart(query(q));
                    key = query(q);
                    continue;
                }
                int pos = w.st.search(w.s, w.n, key);
                boolean found = pos < w.n;
                long k = found ? w.st.cells.keyOpaque(w.base + pos) : 0;
                if (!w.valid()) {
                    continue;
                }
                int dir = w.route(key);
                if (dir != 0) {
                    w.step(dir);
                    continue;
                }
                if (found) {
                    return k;
                }
                if (w.last) {
                    return null;
                }
                key = w.hi; // no pass(), no confirm(): each segment validated at its own instant
                w.step(1);
            }
        }
    }

    /** {@link Spec} with the canary's operation. */
    public static class UnconfirmedSpec extends Spec {
        public Long unconfirmedCeilingKey(int q) {
            return ceilingKey(q);
        }
    }

    @Test
    void modelCheckingRandomScenarios() {
        LinChecker.check(CrossingScenario.class, new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .iterations(5 * SCALE)
                .invocationsPerIteration(200)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1));
    }

    @Test
    void stressRandomScenarios() {
        LinChecker.check(CrossingScenario.class, new StressOptions()
                .sequentialSpecification(Spec.class)
                .iterations(6 * SCALE)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1));
    }

    /**
     * The bug's interleavings, written out: thread 1 navigates; thread 2 inserts a key into a
     * segment the walk has passed and removes the key it would find ahead; the answer must be
     * one of the keys that was there at some instant.
     */
    static List<Arguments> crossingScenarios() throws NoSuchMethodException {
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of("ceiling(50) is 120 or 60 throughout, never 150", scenario(List.of(), List.of(a("ceilingKey", 50)), List.of(a("put", 60), a("remove", 120)))));
        all.add(Arguments.of("higher(50) likewise, through the map's entry form", scenario(List.of(), List.of(a("higherEntry", 50)), List.of(a("put", 60), a("remove", 120)))));
        all.add(Arguments.of("floor(130) with 120 absent at first: 60, then 120; never 10", scenario(List.of(a("put", 60), a("remove", 120)), List.of(a("floorKey", 130)), List.of(a("put", 120), a("remove", 60)))));
        all.add(Arguments.of("lower(130) likewise", scenario(List.of(a("put", 60), a("remove", 120)), List.of(a("lowerEntry", 130)), List.of(a("put", 120), a("remove", 60)))));
        all.add(Arguments.of("first() is 10, then 5; never 120", scenario(List.of(), List.of(a("firstKey")), List.of(a("put", 5), a("remove", 10)))));
        all.add(Arguments.of("pollFirst() takes 10 or 5, never 120", scenario(List.of(), List.of(a("pollFirstKey")), List.of(a("put", 5), a("remove", 10)))));
        all.add(Arguments.of("last() with the last segment empty: 120, then 150; never 10", scenario(List.of(a("remove", 150)), List.of(a("lastKey")), List.of(a("put", 150), a("remove", 120)))));
        all.add(Arguments.of("isEmpty() of a map that always holds 120 or 5", scenario(List.of(a("remove", 10), a("remove", 150)), List.of(a("isEmpty")), List.of(a("put", 5), a("remove", 120)))));
        return all;
    }

    private static ExecutionScenario scenario(List<Actor> init, List<Actor> reader, List<Actor> writer) {
        return new ExecutionScenario(init, List.of(reader, writer), List.of(), null);
    }

    /** An actor calling {@link CrossingScenario}'s method {@code name}; write keys and queries by value. */
    private static Actor a(String name, long... keyOrQuery) throws NoSuchMethodException {
        List<Object> args = new ArrayList<>();
        Method m;
        if (keyOrQuery.length == 0) {
            m = CrossingScenario.class.getMethod(name);
        } else {
            m = CrossingScenario.class.getMethod(name, int.class);
            boolean write = name.equals("put") || name.equals("remove");
            long[] table = write ? KEYS : QUERIES;
            int index = Arrays.binarySearch(table, keyOrQuery[0]);
            if (index < 0) {
                throw new IllegalArgumentException(keyOrQuery[0] + " is not one of " + Arrays.toString(table));
            }
            args.add(index + 1);
        }
        return new Actor(m, args, false, false, false, false, false);
    }

    /** The concurrent object: a map over a tree whose few entries are separated by empty segments. */
    @Param(name = "key", gen = IntGen.class, conf = "1:6")
    @Param(name = "query", gen = IntGen.class, conf = "1:4")
    public static class CrossingScenario {
        final CobTreeMap map;

        public CrossingScenario() {
            long[] values = Arrays.stream(INITIAL).map(NavigationLincheckTest::valueOf).toArray();
            map = new CobTreeMap(CobTree.builder().segmentSize(8).initialCapacity(200).buildFromSorted(INITIAL, values, 0, INITIAL.length));
        }

        static long key(int i) {
            return KEYS[i - 1];
        }

        static long query(int i) {
            return QUERIES[i - 1];
        }

        @Operation
        public Long put(@Param(name = "key") int k) {
            return map.put(key(k), valueOf(key(k)));
        }

        @Operation
        public Long remove(@Param(name = "key") int k) {
            return map.remove(key(k));
        }

        @Operation
        public Long ceilingKey(@Param(name = "query") int q) {
            return map.ceilingKey(query(q));
        }

        @Operation
        public Long floorKey(@Param(name = "query") int q) {
            return map.floorKey(query(q));
        }

        @Operation
        public String higherEntry(@Param(name = "query") int q) {
            return String.valueOf(map.higherEntry(query(q)));
        }

        @Operation
        public String lowerEntry(@Param(name = "query") int q) {
            return String.valueOf(map.lowerEntry(query(q)));
        }

        @Operation
        public Long firstKey() {
            Map.Entry<Long, Long> e = map.firstEntry();
            return e == null ? null : e.getKey();
        }

        @Operation
        public Long lastKey() {
            Map.Entry<Long, Long> e = map.lastEntry();
            return e == null ? null : e.getKey();
        }

        @Operation
        public Long pollFirstKey() {
            Map.Entry<Long, Long> e = map.pollFirstEntry();
            return e == null ? null : e.getKey();
        }

        @Operation
        public boolean isEmpty() {
            return map.isEmpty();
        }
    }

    /** The sequential specification: a {@link TreeMap} with the same initial entries. */
    public static class Spec {
        final TreeMap<Long, Long> map = new TreeMap<>();

        public Spec() {
            for (long k : INITIAL) {
                map.put(k, valueOf(k));
            }
        }

        public Long put(int k) {
            return map.put(CrossingScenario.key(k), valueOf(CrossingScenario.key(k)));
        }

        public Long remove(int k) {
            return map.remove(CrossingScenario.key(k));
        }

        public Long ceilingKey(int q) {
            return map.ceilingKey(CrossingScenario.query(q));
        }

        public Long floorKey(int q) {
            return map.floorKey(CrossingScenario.query(q));
        }

        public String higherEntry(int q) {
            return String.valueOf(map.higherEntry(CrossingScenario.query(q)));
        }

        public String lowerEntry(int q) {
            return String.valueOf(map.lowerEntry(CrossingScenario.query(q)));
        }

        public Long firstKey() {
            Map.Entry<Long, Long> e = map.firstEntry();
            return e == null ? null : e.getKey();
        }

        public Long lastKey() {
            Map.Entry<Long, Long> e = map.lastEntry();
            return e == null ? null : e.getKey();
        }

        public Long pollFirstKey() {
            Map.Entry<Long, Long> e = map.pollFirstEntry();
            return e == null ? null : e.getKey();
        }

        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && map.equals(s.map);
        }

        @Override
        public int hashCode() {
            return map.hashCode();
        }
    }
}
