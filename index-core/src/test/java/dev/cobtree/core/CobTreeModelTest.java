package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Randomized model-based test of the primitive {@link CobTree} API against {@link TreeMap}: every
 * operation of the API (point reads and writes in both their forms, conditional writes,
 * navigation, polls, ascending and descending cursors from random keys with {@code skip},
 * {@code size}, {@code rank}, {@code countRange}, {@code select}, {@code forEach},
 * {@code forEachInRange}, occasional {@code clear} and rebuilds through {@code buildFromSorted}),
 * with results compared after every operation and the whole content compared at every phase.
 *
 * <p>Keys come from {@link ModelKeys}: a window around zero whose width changes every phase (so
 * the index grows to thousands of entries and shrinks again) plus the extremes of the long range.
 * One run uses 8-cell segments and no initial capacity, so that rebalances and resizes happen
 * all the time; the other the default segments. The seed is printed; replay with
 * {@code -Dcobtree.seed=...}. {@code -Dcobtree.model.ops} sets the operations per test (split
 * over its configurations).
 */
class CobTreeModelTest {

    @Test
    void smallSegmentsAgainstTreeMap() {
        run("segmentSize 8", () -> CobTree.builder().segmentSize(8).initialCapacity(0), ModelKeys.ops() / 2);
    }

    @Test
    void defaultSegmentsAgainstTreeMap() {
        run("default segments", CobTree::builder, ModelKeys.ops() / 2);
    }

    private static void run(String name, Supplier<CobTree.Builder> config, long ops) {
        long seed = ModelKeys.seed();
        System.out.println("CobTreeModelTest[" + name + "] seed=" + seed + " ops=" + ops
                + " (replay: -Dcobtree.seed=" + seed + ")");
        new Run(config, seed).go(ops);
    }

    /** One randomized run: the tree under test, the model, and the last operation for reports. */
    private static final class Run {
        private static final int PHASE = 20_000;

        private final Supplier<CobTree.Builder> config;
        private final long seed;
        private final SplittableRandom random;
        private final ModelKeys keys;
        private final TreeMap<Long, Long> model = new TreeMap<>();
        private final KeyValue kv = new KeyValue();
        private CobTree tree;
        private long op;
        private String opName = "";
        private long arg1, arg2;

        Run(Supplier<CobTree.Builder> config, long seed) {
            this.config = config;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.keys = new ModelKeys(random);
            this.tree = config.get().build();
        }

        void go(long ops) {
            try {
                for (op = 0; op < ops; op++) {
                    if (op % PHASE == 0) {
                        phase();
                    }
                    step();
                }
                opName = "final comparison";
                compareAll();
            } catch (Throwable t) {
                throw new AssertionError("seed=" + seed + " op#" + op + " " + opName + "(" + arg1 + ", " + arg2
                        + ") size=" + model.size() + ": " + t, t);
            } finally {
                tree.close();
            }
        }

        private void phase() {
            opName = "phase";
            keys.newPhase();
            compareAll();
            if (random.nextInt(3) == 0) { // reload the same content through the bulk loader
                opName = "buildFromSorted";
                long[] ks = new long[model.size()], vs = new long[model.size()];
                int i = 0;
                for (Map.Entry<Long, Long> e : model.entrySet()) {
                    ks[i] = e.getKey();
                    vs[i++] = e.getValue();
                }
                tree.close();
                tree = config.get().buildFromSorted(ks, vs, 0, i);
                compareAll();
            }
        }

        private void named(String name, long a, long b) {
            opName = name;
            arg1 = a;
            arg2 = b;
        }

        private void step() {
            long k = keys.key(), v = keys.value();
            int p = random.nextInt(1000);
            if (p < 100) {
                named("get", k, v);
                Long m = model.get(k);
                if (random.nextBoolean()) {
                    assertEquals(m == null ? v : m, tree.get(k, v));
                } else {
                    KeyValue out = random.nextInt(8) == 0 ? null : kv;
                    assertEquals(m != null, tree.get(k, out));
                    if (m != null && out != null) { expectEntry(k, m); }
                }
            } else if (p < 140) {
                named("containsKey", k, 0);
                assertEquals(model.containsKey(k), tree.containsKey(k));
            } else if (p < 290) {
                named("put", k, v);
                Long prev = model.put(k, v);
                if (random.nextBoolean()) {
                    long absent = keys.value();
                    assertEquals(prev == null ? absent : prev, tree.put(k, v, absent));
                } else {
                    KeyValue out = random.nextInt(8) == 0 ? null : kv;
                    assertEquals(prev != null, tree.put(k, v, out));
                    if (prev != null && out != null) { expectEntry(k, prev); }
                }
            } else if (p < 340) {
                named("putIfAbsent", k, v);
                Long existing = model.putIfAbsent(k, v);
                if (random.nextBoolean()) {
                    long absent = keys.value();
                    assertEquals(existing == null ? absent : existing, tree.putIfAbsent(k, v, absent));
                } else {
                    assertEquals(existing != null, tree.putIfAbsent(k, v, kv));
                    if (existing != null) { expectEntry(k, existing); }
                }
            } else if (p < 460) {
                named("remove", k, 0);
                Long prev = model.remove(k);
                if (random.nextBoolean()) {
                    long absent = keys.value();
                    assertEquals(prev == null ? absent : prev, tree.remove(k, absent));
                } else {
                    KeyValue out = random.nextInt(8) == 0 ? null : kv;
                    assertEquals(prev != null, tree.remove(k, out));
                    if (prev != null && out != null) { expectEntry(k, prev); }
                }
            } else if (p < 500) {
                long expected = currentOr(k, v);
                named("removeEntry", k, expected);
                assertEquals(model.remove(k, expected), tree.removeEntry(k, expected));
            } else if (p < 530) {
                long expected = currentOr(k, v);
                named("replace(expected)", k, expected);
                assertEquals(model.replace(k, expected, v), tree.replace(k, expected, v));
            } else if (p < 560) {
                named("replace", k, v);
                Long prev = model.replace(k, v);
                assertEquals(prev != null, tree.replace(k, v, kv));
                if (prev != null) { expectEntry(k, prev); }
            } else if (p < 700) {
                navigate(k);
            } else if (p < 740) {
                ends();
            } else if (p < 770) {
                boolean first = random.nextBoolean();
                named(first ? "pollFirst" : "pollLast", 0, 0);
                Map.Entry<Long, Long> e = first ? model.pollFirstEntry() : model.pollLastEntry();
                expectFound(e, first ? tree.pollFirst(kv) : tree.pollLast(kv));
            } else if (p < 830) {
                cursorWalk(k);
            } else if (p < 860) {
                named("size", 0, 0);
                assertEquals(model.size(), tree.size());
                assertEquals(model.isEmpty(), tree.isEmpty());
            } else if (p < 870) {
                named("rank", k, 0);
                assertEquals(model.headMap(k, false).size(), tree.rank(k));
            } else if (p < 890) {
                countRange(k, keys.key());
            } else if (p < 900) {
                select();
            } else if (p < 990) {
                forEachInRange(k, random.nextInt(4) == 0 ? keys.key() : k + random.nextInt(64));
            } else if (p < 998) {
                named("forEach", 0, 0);
                List<Long> seen = new ArrayList<>();
                tree.forEach((key, value) -> { seen.add(key); seen.add(value); });
                assertEquals(flatten(model), seen);
            } else if (random.nextInt(50) == 0) {
                named("clear", 0, 0);
                model.clear();
                tree.clear();
                assertEquals(0, tree.size());
            }
        }

        /** The key's current value half of the time (so conditional writes succeed), else {@code other}. */
        private long currentOr(long k, long other) {
            Long m = model.get(k);
            return m != null && random.nextBoolean() ? m : other;
        }

        private void expectEntry(long k, long v) {
            assertEquals(k, kv.key, "key");
            assertEquals(v, kv.value, "value");
        }

        private void expectFound(Map.Entry<Long, Long> expected, boolean found) {
            assertEquals(expected != null, found, "found");
            if (expected != null) {
                expectEntry(expected.getKey(), expected.getValue());
            }
        }

        private void navigate(long k) {
            switch (random.nextInt(4)) {
                case 0 -> { named("floor", k, 0); expectFound(model.floorEntry(k), tree.floor(k, kv)); }
                case 1 -> { named("ceiling", k, 0); expectFound(model.ceilingEntry(k), tree.ceiling(k, kv)); }
                case 2 -> { named("higher", k, 0); expectFound(model.higherEntry(k), tree.higher(k, kv)); }
                default -> { named("lower", k, 0); expectFound(model.lowerEntry(k), tree.lower(k, kv)); }
            }
        }

        private void ends() {
            switch (random.nextInt(4)) {
                case 0 -> { named("first", 0, 0); expectFound(model.firstEntry(), tree.first(kv)); }
                case 1 -> { named("last", 0, 0); expectFound(model.lastEntry(), tree.last(kv)); }
                case 2 -> {
                    named("firstKey", 0, 0);
                    if (model.isEmpty()) {
                        assertThrows(NoSuchElementException.class, tree::firstKey);
                    } else {
                        assertEquals(model.firstKey(), tree.firstKey());
                    }
                }
                default -> {
                    named("lastKey", 0, 0);
                    if (model.isEmpty()) {
                        assertThrows(NoSuchElementException.class, tree::lastKey);
                    } else {
                        assertEquals(model.lastKey(), tree.lastKey());
                    }
                }
            }
        }

        /** A cursor from a random start in a random direction, walked with next() and skip(). */
        private void cursorWalk(long k) {
            int mode = random.nextInt(6);
            boolean inclusive = random.nextBoolean();
            named("cursor mode " + mode + (inclusive ? " inclusive" : " exclusive"), k, 0);
            NavigableMap<Long, Long> view = switch (mode) {
                case 0 -> model;
                case 1 -> model.descendingMap();
                case 2, 3 -> model.tailMap(k, inclusive);
                default -> model.headMap(k, inclusive).descendingMap();
            };
            CobTree.Cursor cursor = switch (mode) {
                case 0 -> tree.cursor();
                case 1 -> tree.descendingCursor();
                case 2, 3 -> tree.cursor(k, inclusive);
                default -> tree.descendingCursor(k, inclusive);
            };
            Iterator<Map.Entry<Long, Long>> expected = view.entrySet().iterator();
            int steps = 1 + random.nextInt(40);
            for (int s = 0; s < steps; s++) {
                if (random.nextInt(8) == 0) {
                    int n = random.nextInt(7);
                    Map.Entry<Long, Long> last = null;
                    int skipped = 0;
                    while (skipped < n && expected.hasNext()) {
                        last = expected.next();
                        skipped++;
                    }
                    assertEquals(skipped, cursor.skip(n), "skip " + n);
                    if (n > 0 && skipped == n) {
                        assertEquals(last.getKey(), cursor.key(), "key after skip");
                        assertEquals(last.getValue(), cursor.value(), "value after skip");
                    }
                    if (skipped < n) {
                        break;
                    }
                } else {
                    boolean has = expected.hasNext();
                    assertEquals(has, cursor.next(), "next");
                    if (!has) {
                        break;
                    }
                    Map.Entry<Long, Long> e = expected.next();
                    assertEquals(e.getKey(), cursor.key(), "cursor key");
                    assertEquals(e.getValue(), cursor.value(), "cursor value");
                }
            }
        }

        private void countRange(long a, long b) {
            long lo = Math.min(a, b), hi = Math.max(a, b);
            boolean li = random.nextBoolean(), hi2 = random.nextBoolean();
            named("countRange" + (li ? "[" : "(") + (hi2 ? "]" : ")"), lo, hi);
            assertEquals(model.subMap(lo, li, hi, hi2).size(), tree.countRange(lo, li, hi, hi2));
        }

        private void select() {
            long index = random.nextInt(model.size() + 3);
            named("select", index, 0);
            Map.Entry<Long, Long> expected = null;
            if (index < model.size()) {
                Iterator<Map.Entry<Long, Long>> it = model.entrySet().iterator();
                for (long i = 0; i < index; i++) {
                    it.next();
                }
                expected = it.next();
            }
            expectFound(expected, tree.select(index, kv));
        }

        private void forEachInRange(long a, long b) {
            long lo = Math.min(a, b), hi = Math.max(a, b);
            boolean li = random.nextBoolean(), hi2 = random.nextBoolean();
            named("forEachInRange" + (li ? "[" : "(") + (hi2 ? "]" : ")"), lo, hi);
            List<Long> seen = new ArrayList<>();
            tree.forEachInRange(lo, li, hi, hi2, (key, value) -> { seen.add(key); seen.add(value); });
            assertEquals(flatten(model.subMap(lo, li, hi, hi2)), seen);
        }

        private static List<Long> flatten(Map<Long, Long> m) {
            List<Long> out = new ArrayList<>(m.size() * 2);
            m.forEach((key, value) -> { out.add(key); out.add(value); });
            return out;
        }

        /** Whole content, both directions, and the counts. */
        private void compareAll() {
            assertEquals(model.size(), tree.size(), "size");
            CobTree.Cursor up = tree.cursor();
            for (Map.Entry<Long, Long> e : model.entrySet()) {
                assertEquals(true, up.next(), "ascending scan ended early");
                assertEquals(e.getKey(), up.key(), "ascending key");
                assertEquals(e.getValue(), up.value(), "ascending value");
            }
            assertEquals(false, up.next(), "ascending scan too long");
            CobTree.Cursor down = tree.descendingCursor();
            for (Map.Entry<Long, Long> e : model.descendingMap().entrySet()) {
                assertEquals(true, down.next(), "descending scan ended early");
                assertEquals(e.getKey(), down.key(), "descending key");
            }
            assertEquals(false, down.next(), "descending scan too long");
            assertEquals(model.size(), tree.countRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true), "countRange(all)");
        }
    }
}
