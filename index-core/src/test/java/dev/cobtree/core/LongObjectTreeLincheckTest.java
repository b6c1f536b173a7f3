package dev.cobtree.core;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

/**
 * Linearizability of {@link LongObjectTree} against a {@code TreeMap<Long, String>}, by Lincheck
 * model checking and stress. 8-cell segments, no initial capacity and keys 1..12 spread 3 apart
 * so that a few inserts cross segments, rebalance (Moves of references) and resize (the old
 * storage's references dropped) inside the scenarios. Conditional writes compare by
 * {@code equals}: the values are fresh {@code String}s, never the same instance.
 */
class LongObjectTreeLincheckTest {

    @Test
    void modelChecking() {
        LinChecker.check(Scenario.class, new ModelCheckingOptions().sequentialSpecification(Spec.class)
                .iterations(3 * CobTreeMapLincheckTest.SCALE).invocationsPerIteration(200)
                .threads(2).actorsPerThread(3).actorsBefore(6).actorsAfter(1));
    }

    @Test
    void stress() {
        LinChecker.check(Scenario.class, new StressOptions().sequentialSpecification(Spec.class)
                .iterations(2 * CobTreeMapLincheckTest.SCALE).invocationsPerIteration(1_000)
                .threads(2).actorsPerThread(4).actorsBefore(6).actorsAfter(1));
    }

    private static String v(int value) {
        return new String("v" + value); // a fresh instance: equality must be equals, not ==
    }

    @Param(name = "key", gen = IntGen.class, conf = "1:12")
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public static class Scenario {
        final LongObjectTree<String> tree = LongObjectTree.builder().segmentSize(8).initialCapacity(0).build();

        @Operation
        public String put(@Param(name = "key") int key, @Param(name = "value") int value) {
            return tree.put(3L * key, v(value));
        }

        @Operation
        public String get(@Param(name = "key") int key) {
            return tree.get(3L * key);
        }

        @Operation
        public String remove(@Param(name = "key") int key) {
            return tree.remove(3L * key);
        }

        @Operation
        public boolean removeIfEqual(@Param(name = "key") int key, @Param(name = "value") int value) {
            return tree.remove(3L * key, v(value));
        }

        @Operation
        public boolean replaceIfEqual(@Param(name = "key") int key, @Param(name = "value") int value) {
            return tree.replace(3L * key, v(value), v(value + 1));
        }

        @Operation
        public String putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
            return tree.putIfAbsent(3L * key, v(value));
        }

        @Operation
        public String ceiling(@Param(name = "key") int key) {
            LongObjectEntry<String> e = tree.ceilingEntry(3L * key - 1);
            return e == null ? null : e.key() + "=" + e.value();
        }

        @Operation
        public String pollFirst() {
            LongObjectEntry<String> e = tree.pollFirstEntry();
            return e == null ? null : e.key() + "=" + e.value();
        }

        @Operation
        public String merge(@Param(name = "key") int key, @Param(name = "value") int value) {
            return tree.merge(3L * key, v(value), (a, b) -> a.length() > 4 ? null : a + b);
        }

        @Operation
        public long rank(@Param(name = "key") int key) {
            return tree.rank(3L * key);
        }

        @Validate
        public void quiescent() {
            long n = 0;
            LongObjectTree.Cursor<String> c = tree.cursor();
            while (c.next()) {
                if (c.value() == null) {
                    throw new IllegalStateException("null value at key " + c.key());
                }
                n++;
            }
            if (n != tree.size()) {
                throw new IllegalStateException("scan " + n + " but size " + tree.size());
            }
        }
    }

    public static class Spec {
        final TreeMap<Long, String> map = new TreeMap<>();

        public String put(int key, int value) { return map.put(3L * key, v(value)); }
        public String get(int key) { return map.get(3L * key); }
        public String remove(int key) { return map.remove(3L * key); }
        public boolean removeIfEqual(int key, int value) { return map.remove(3L * key, v(value)); }
        public boolean replaceIfEqual(int key, int value) { return map.replace(3L * key, v(value), v(value + 1)); }
        public String putIfAbsent(int key, int value) { return map.putIfAbsent(3L * key, v(value)); }

        public String ceiling(int key) {
            Map.Entry<Long, String> e = map.ceilingEntry(3L * key - 1);
            return e == null ? null : e.getKey() + "=" + e.getValue();
        }

        public String pollFirst() {
            Map.Entry<Long, String> e = map.pollFirstEntry();
            return e == null ? null : e.getKey() + "=" + e.getValue();
        }

        public String merge(int key, int value) { return map.merge(3L * key, v(value), (a, b) -> a.length() > 4 ? null : a + b); }
        public long rank(int key) { return map.headMap(3L * key).size(); }

        @Override public boolean equals(Object o) { return o instanceof Spec s && map.equals(s.map); }
        @Override public int hashCode() { return map.hashCode(); }
    }
}
