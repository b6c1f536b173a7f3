package dev.cobtree.core;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.LincheckAssertionError;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canaries for the Lincheck set-up: deliberately non-linearizable classes that model checking
 * MUST flag. Lincheck silently passes every test when it cannot instrument the class files (it
 * cannot read release 25 class files, for one), so a green {@link CobTreeMapLincheckTest} means
 * something only while these canaries are caught.
 */
class LincheckCanaryTest {

    /** A counter whose increment is a plain read-modify-write: two threads can lose an update. */
    public static class RacyCounter {
        private int value;

        @Operation
        public int increment() {
            int v = value;
            value = v + 1;
            return v;
        }

        @Operation
        public int get() {
            return value;
        }
    }

    /**
     * putIfAbsent as check-then-act over two atomic {@link CobTreeMap} calls: two threads can both
     * see the key absent and both "insert". Caught only if Lincheck switches threads between calls
     * into this project's classes, i.e. if it instruments them.
     */
    @Param(name = "key", gen = IntGen.class, conf = "1:2")
    public static class CheckThenActMap {
        private final CobTreeMap map = new CobTreeMap(CobTree.builder().segmentSize(8).build());

        @Operation
        public Long putIfAbsent(@Param(name = "key") int key, int value) {
            Long old = map.get((long) key);
            if (old == null) {
                map.put((long) key, (long) value);
            }
            return old;
        }

        @Operation
        public Long get(@Param(name = "key") int key) {
            return map.get((long) key);
        }
    }

    /** Sequential specification of {@link CheckThenActMap}. */
    public static class CheckThenActSpec {
        private final TreeMap<Long, Long> map = new TreeMap<>();

        public Long putIfAbsent(int key, int value) {
            return map.putIfAbsent((long) key, (long) value);
        }

        public Long get(int key) {
            return map.get((long) key);
        }
    }

    private static ModelCheckingOptions options() {
        return new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(1)
                .minimizeFailedScenario(false);
    }

    @Test
    void racyCounterIsCaught() {
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class,
                () -> LinChecker.check(RacyCounter.class, options()));
        assertTrue(e.getMessage().contains("Invalid execution results"), e.getMessage());
    }

    @Test
    void checkThenActOverCobTreeMapIsCaught() {
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class,
                () -> LinChecker.check(CheckThenActMap.class, options().sequentialSpecification(CheckThenActSpec.class)));
        assertTrue(e.getMessage().contains("Invalid execution results"), e.getMessage());
    }
}
