package dev.cobtree.core;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import dev.cobtree.storage.OffHeapCellStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.TreeMap;

/**
 * Linearizability of {@link CobTreeMap} (and so of the {@link CobTree} primitives behind it),
 * checked by Lincheck against a sequential {@link TreeMap} specification, in model-checking mode
 * (systematic interleavings under sequential consistency, with a trace on failure) and in stress
 * mode (real threads, so also the Java memory model). Keys 1..6 so that operations collide; the
 * tree has the smallest segments and no initial capacity, so that a handful of inserts already
 * rebalances and resizes inside the scenarios. {@code merge} exercises the map's own CAS loop.
 *
 * <p>{@code size()} is not among the concurrent operations: {@link CobTree#size()} promises an
 * exact count only when no writer is active, and the reference implementation's count indeed
 * lags (Lincheck finds it in both modes). Instead every scenario ends with a quiescent
 * {@link Validate} check that {@code size()}, {@code countRange} and a full scan agree and that
 * the scan is strictly ascending. {@code -Dcobtree.lincheck.linearizableSize=true} adds a run
 * with {@code size()} as a concurrent operation, for an engine that claims more.
 *
 * <p>CI runs a short configuration; {@code -Dcobtree.lincheck.scale=N} multiplies the number of
 * scenarios for a long run. {@link LincheckCanaryTest} proves that the checker really explores
 * interleavings of this project's classes.
 */
class CobTreeMapLincheckTest {

    static final int SCALE = Integer.getInteger("cobtree.lincheck.scale", 1);

    @Test
    void modelChecking() {
        LinChecker.check(MapScenario.class, modelChecking(Spec.class));
    }

    @Test
    void stress() {
        LinChecker.check(MapScenario.class, stress(Spec.class));
    }

    @Test
    void modelCheckingOffHeap() {
        LinChecker.check(OffHeapMapScenario.class, modelChecking(Spec.class));
    }

    @Test
    void stressOffHeap() {
        LinChecker.check(OffHeapMapScenario.class, stress(Spec.class));
    }

    @Test
    @EnabledIfSystemProperty(named = "cobtree.lincheck.linearizableSize", matches = "true")
    void modelCheckingWithConcurrentSize() {
        LinChecker.check(MapScenarioWithSize.class, modelChecking(SpecWithSize.class));
    }

    @Test
    @EnabledIfSystemProperty(named = "cobtree.lincheck.linearizableSize", matches = "true")
    void stressWithConcurrentSize() {
        LinChecker.check(MapScenarioWithSize.class, stress(SpecWithSize.class));
    }

    private static ModelCheckingOptions modelChecking(Class<?> spec) {
        return new ModelCheckingOptions()
                .sequentialSpecification(spec)
                .iterations(6 * SCALE)
                .invocationsPerIteration(200)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(1);
    }

    private static StressOptions stress(Class<?> spec) {
        return new StressOptions()
                .sequentialSpecification(spec)
                .iterations(6 * SCALE)
                .invocationsPerIteration(1_000)
                .threads(2)
                .actorsPerThread(4)
                .actorsBefore(3)
                .actorsAfter(1);
    }

    /** The concurrent object under test: a map over a tree that rebalances and resizes early. */
    @Param(name = "key", gen = IntGen.class, conf = "1:6")
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class MapScenario {
        final CobTreeMap map;

        public MapScenario() {
            this(CobTree.builder().segmentSize(8).initialCapacity(0).build());
        }

        protected MapScenario(CobTree tree) {
            this.map = new CobTreeMap(tree);
        }

        @Operation
        public Long put(@Param(name = "key") int key, @Param(name = "value") int value) {
            return map.put((long) key, (long) value);
        }

        @Operation
        public Long get(@Param(name = "key") int key) {
            return map.get((long) key);
        }

        @Operation
        public Long remove(@Param(name = "key") int key) {
            return map.remove((long) key);
        }

        @Operation
        public Long putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
            return map.putIfAbsent((long) key, (long) value);
        }

        @Operation
        public Long ceilingKey(@Param(name = "key") int key) {
            return map.ceilingKey((long) key);
        }

        @Operation
        public Long floorKey(@Param(name = "key") int key) {
            return map.floorKey((long) key);
        }

        @Operation
        public Long merge(@Param(name = "key") int key, @Param(name = "value") int value) {
            return map.merge((long) key, (long) value, Long::sum);
        }

        /** At quiescence: size, range count and a scan agree; the scan ascends strictly. */
        @Validate
        public void quiescentCountsAgree() {
            CobTree tree = map.tree();
            long scanned = 0;
            long previous = Long.MIN_VALUE;
            CobTree.Cursor c = tree.cursor();
            while (c.next()) {
                if (scanned > 0 && c.key() <= previous) {
                    throw new IllegalStateException("scan not ascending: " + previous + " then " + c.key());
                }
                previous = c.key();
                scanned++;
            }
            long size = tree.size();
            long counted = tree.countRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true);
            if (size != scanned || counted != scanned || map.size() != scanned) {
                throw new IllegalStateException("quiescent size " + size + ", countRange " + counted + ", scan " + scanned);
            }
        }
    }

    /** {@link MapScenario} over the off-heap store (epoch pins, MemorySegment cells). */
    public static class OffHeapMapScenario extends MapScenario {
        private static final OffHeapCellStoreFactory OFF_HEAP = new OffHeapCellStoreFactory();

        public OffHeapMapScenario() {
            super(CobTree.builder().segmentSize(8).initialCapacity(0).storage(OFF_HEAP).build());
        }
    }

    /** {@link MapScenario} with {@code size()} as a concurrent operation. */
    public static class MapScenarioWithSize extends MapScenario {
        @Operation
        public int size() {
            return map.size();
        }
    }

    /** The sequential specification: the same operations on a {@link TreeMap}. */
    public static class Spec {
        final TreeMap<Long, Long> map = new TreeMap<>();

        public Long put(int key, int value) {
            return map.put((long) key, (long) value);
        }

        public Long get(int key) {
            return map.get((long) key);
        }

        public Long remove(int key) {
            return map.remove((long) key);
        }

        public Long putIfAbsent(int key, int value) {
            return map.putIfAbsent((long) key, (long) value);
        }

        public Long ceilingKey(int key) {
            return map.ceilingKey((long) key);
        }

        public Long floorKey(int key) {
            return map.floorKey((long) key);
        }

        public Long merge(int key, int value) {
            return map.merge((long) key, (long) value, Long::sum);
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

    /** {@link Spec} with {@code size()}. */
    public static class SpecWithSize extends Spec {
        public int size() {
            return map.size();
        }
    }
}
