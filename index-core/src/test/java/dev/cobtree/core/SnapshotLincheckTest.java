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

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lincheck with a snapshot digest: {@code digest()} takes a snapshot, reads all of it (an
 * ascending scan, a descending scan, size, a range count, a select) and closes it; every part must
 * describe one state, and that state must be the map's at one instant of the call. The tree is
 * pre-built with 8-cell segments and room for 10 entries: two segments, {10} and {120, 150}
 * (few segments keep the model checker's search small); the written keys 5, 10 and 60 fall into
 * the first, 120 and 200 into the second, so writers of 60 and 200 hold independent segment
 * locks.
 *
 * <p>The canary ({@link #aGateThatAdmitsWritersDuringTheDrainIsCaught}) runs the same object with
 * a gate that lets writers through while it is closed and does not wait for those inside ("bump
 * the generation and let writers run"); model checking must find the interleaving the gate exists
 * for: a writer admitted during the drain stores 60 after the snapshot's instant without a
 * pre-image, a writer after the instant puts 200 (with a pre-image) and then reads 60 as absent,
 * and the digest shows 60 but not 200. {@code -Dcobtree.lincheck.scale=N} multiplies the random
 * scenarios.
 */
class SnapshotLincheckTest {

    static final int SCALE = Integer.getInteger("cobtree.lincheck.scale", 1);
    static final long[] INITIAL = {10, 120, 150};
    static final long[] KEYS = {5, 10, 60, 120, 200};

    static long valueOf(long key) {
        return key * 7 + 1;
    }

    static long key(int i) {
        return KEYS[i - 1];
    }

    /** The concurrent object. */
    @Param(name = "key", gen = IntGen.class, conf = "1:5")
    public static class Snapshotted {
        final CobTree tree;

        public Snapshotted() {
            long[] values = Arrays.stream(INITIAL).map(SnapshotLincheckTest::valueOf).toArray();
            tree = CobTree.builder().segmentSize(8).initialCapacity(10).buildFromSorted(INITIAL, values, 0, INITIAL.length);
        }

        @Operation
        public long put(@Param(name = "key") int k) {
            return tree.put(key(k), valueOf(key(k)), -1);
        }

        @Operation
        public long remove(@Param(name = "key") int k) {
            return tree.remove(key(k), -1);
        }

        @Operation
        public long get(@Param(name = "key") int k) {
            return tree.get(key(k), -1);
        }

        /** The snapshot's keys, if every read of it agrees; else a description of the disagreement. */
        @Operation
        public String digest() {
            try (CobTreeSnapshot s = tree.snapshot()) {
                StringBuilder up = new StringBuilder();
                CobTreeSnapshot.Cursor c = s.cursor();
                int n = 0;
                while (c.next()) {
                    if (c.value() != valueOf(c.key())) {
                        return "torn " + c.key() + "=" + c.value();
                    }
                    up.append(c.key()).append(' ');
                    n++;
                }
                StringBuilder down = new StringBuilder();
                CobTreeSnapshot.Cursor d = s.descendingCursor();
                while (d.next()) {
                    down.insert(0, d.key() + " ");
                }
                long size = s.size();
                long mid = s.countRange(10, true, 120, true);
                KeyValue kv = new KeyValue();
                String last = size > 0 && s.select(size - 1, kv) ? String.valueOf(kv.key) : "none";
                String expectLast = n == 0 ? "none" : up.toString().trim().replaceAll(".* ", "");
                long expectMid = Arrays.stream(up.toString().trim().split(" ")).filter(x -> !x.isEmpty())
                        .mapToLong(Long::parseLong).filter(k -> k >= 10 && k <= 120).count();
                if (!up.toString().contentEquals(down) || size != n || mid != expectMid || !last.equals(expectLast)) {
                    return "disagree up=" + up + " down=" + down + " size=" + size + " mid=" + mid + " last=" + last;
                }
                return up.toString().trim();
            }
        }
    }

    /** {@link Snapshotted} with the canary gate. */
    public static class AdmitsDuringDrain extends Snapshotted {
        public AdmitsDuringDrain() {
            tree.engine().snapshots.gate.admitDuringDrain = true;
        }
    }

    /** The sequential specification. */
    public static class Spec {
        final TreeMap<Long, Long> map = new TreeMap<>();

        public Spec() {
            for (long k : INITIAL) {
                map.put(k, valueOf(k));
            }
        }

        public long put(int k) {
            Long old = map.put(key(k), valueOf(key(k)));
            return old == null ? -1 : old;
        }

        public long remove(int k) {
            Long old = map.remove(key(k));
            return old == null ? -1 : old;
        }

        public long get(int k) {
            Long v = map.get(key(k));
            return v == null ? -1 : v;
        }

        public String digest() {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<Long, Long> e : map.entrySet()) {
                b.append(e.getKey()).append(' ');
            }
            return b.toString().trim();
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

    /** Thread 1 puts 60; thread 2 takes a digest; thread 3 puts 200, then reads 60. */
    static ExecutionScenario gateScenario(Class<?> c) throws NoSuchMethodException {
        Actor put60 = new Actor(c.getMethod("put", int.class), List.of(3), false, false, false, false, false);
        Actor put200 = new Actor(c.getMethod("put", int.class), List.of(5), false, false, false, false, false);
        Actor get60 = new Actor(c.getMethod("get", int.class), List.of(3), false, false, false, false, false);
        Actor digest = new Actor(c.getMethod("digest"), List.of(), false, false, false, false, false);
        return new ExecutionScenario(List.of(), List.of(List.of(put60), List.of(digest), List.of(put200, get60)), List.of(), null);
    }

    /** Interleavings per run of the gate scenario; the canary is caught within 3,000 (about 2 minutes on the shared 2-core machine). */
    static final int GATE_INVOCATIONS = Integer.getInteger("cobtree.lincheck.gate", 3_000) * SCALE;

    @Test
    void theGateScenarioIsLinearizable() throws NoSuchMethodException {
        LinChecker.check(Snapshotted.class, new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .iterations(0)
                .invocationsPerIteration(GATE_INVOCATIONS / 3)
                .minimizeFailedScenario(false)
                .addCustomScenario(gateScenario(Snapshotted.class)));
    }

    @Test
    void aGateThatAdmitsWritersDuringTheDrainIsCaught() throws NoSuchMethodException {
        ExecutionScenario bug = gateScenario(AdmitsDuringDrain.class);
        // Lincheck reports an invocation that runs past its wall-clock timeout (10 s by default) as
        // "The execution has hung"; on a machine loaded by other builds one did (load average 12),
        // so the canary gets a minute: it must fail by a wrong result, never by the clock.
        // invocationTimeout is Kotlin-internal in Lincheck 2.39 (mangled name), public in the bytecode.
        ModelCheckingOptions options = new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .iterations(0)
                .invocationsPerIteration(GATE_INVOCATIONS)
                .minimizeFailedScenario(false)
                .addCustomScenario(bug);
        options.invocationTimeout$lincheck(60_000);
        AssertionError caught = assertThrows(AssertionError.class, () ->
                        LinChecker.check(AdmitsDuringDrain.class, options),
                "model checking did not catch writers admitted during the drain");
        // a wrong result, not a hang or an exception: the digest saw a state no linearization explains
        assertTrue(String.valueOf(caught.getMessage()).contains("Invalid execution results"), caught.getMessage());
    }

    @Test
    void modelCheckingRandomScenarios() {
        LinChecker.check(Snapshotted.class, new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .iterations(3 * SCALE)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1));
    }

    @Test
    void stressRandomScenarios() {
        LinChecker.check(Snapshotted.class, new StressOptions()
                .sequentialSpecification(Spec.class)
                .iterations(6 * SCALE)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(2)
                .actorsAfter(1));
    }
}
