package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Randomized model-based test of {@link CobTreeMap} and its views against
 * {@link ConcurrentSkipListMap}, the class it replaces: the same random walk through nested
 * views (sub/head/tail maps of both kinds of bounds, descending maps, views of views, including
 * ill-formed bounds) runs on both, and every Map, SortedMap, NavigableMap and ConcurrentMap
 * method, key-set, entry-set and values operation, iterator removal, bulk operation and
 * serialization round trip must give the same outcome: the same value, or an exception of the
 * same class. Comparing against ConcurrentSkipListMap rather than TreeMap checks the exact
 * bounds semantics of nested views and of writes outside a view's range.
 *
 * <p>The seed is printed; replay with {@code -Dcobtree.seed=...}. {@code -Dcobtree.model.ops}
 * sets the operations per test (split over its configurations).
 */
class CobTreeMapModelTest {

    @Test
    void smallSegmentsAgainstConcurrentSkipListMap() {
        run("segmentSize 8", () -> CobTree.builder().segmentSize(8).initialCapacity(0).build(), ModelKeys.ops() / 2);
    }

    @Test
    void defaultSegmentsAgainstConcurrentSkipListMap() {
        run("default segments", CobTree::new, ModelKeys.ops() / 2);
    }

    private static void run(String name, Supplier<CobTree> trees, long ops) {
        long seed = ModelKeys.seed();
        System.out.println("CobTreeMapModelTest[" + name + "] seed=" + seed + " ops=" + ops
                + " (replay: -Dcobtree.seed=" + seed + ")");
        new Run(trees.get(), seed).go(ops);
    }

    /** What a call did: its (normalised) result, or the class of what it threw. */
    private static Object outcome(Supplier<?> call) {
        try {
            Object r = call.get();
            if (r instanceof Map.Entry<?, ?> e) {
                return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue());
            }
            return r instanceof Collection<?> c ? new ArrayList<>(c) : r;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static final class Run {
        private final long seed;
        private final SplittableRandom random;
        private final ModelKeys keys;
        private final CobTreeMap root;
        private final ConcurrentSkipListMap<Long, Long> modelRoot = new ConcurrentSkipListMap<>();
        private ConcurrentNavigableMap<Long, Long> view;
        private ConcurrentNavigableMap<Long, Long> modelView;
        private String viewName = "root";
        private long op;
        private String what = "";

        // Deterministic functions, so both maps see the same results.
        private final BiFunction<Long, Long, Long> remap = (k, old) ->
                old == null ? (Long) (k ^ 0x5DEECE66DL) : (old + k) % 5 == 0 ? null : (Long) (old * 31 + k);
        private final Function<Long, Long> absentMapping = k -> k % 3 == 0 ? null : (Long) (k * 7);
        private final BiFunction<Long, Long, Long> merger = (a, b) -> (a ^ b) % 4 == 0 ? null : (Long) (a + b);

        Run(CobTree tree, long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.keys = new ModelKeys(random);
            this.root = new CobTreeMap(tree);
            this.view = root;
            this.modelView = modelRoot;
        }

        void go(long ops) {
            try {
                for (op = 0; op < ops; op++) {
                    if (op % 20_000 == 0) {
                        keys.newPhase();
                        compareAll();
                    }
                    if (random.nextInt(300) == 0) {
                        newView();
                    }
                    step();
                }
                what = "final comparison";
                compareAll();
            } catch (Throwable t) {
                throw new AssertionError("seed=" + seed + " op#" + op + " on " + viewName + ": " + what
                        + " (root size " + modelRoot.size() + "): " + t, t);
            } finally {
                root.tree().close();
            }
        }

        private void same(String name, Supplier<?> actual, Supplier<?> expected) {
            what = name;
            Object e = outcome(expected);
            Object a = outcome(actual);
            assertEquals(e, a, name);
        }

        /** Two keys, in the view's order most of the time (ill-formed bounds otherwise). */
        private long[] boundPair() {
            long a = keys.key(), b = keys.key();
            boolean descending = view.comparator() != null;
            if (random.nextInt(100) < 85 && (descending ? a < b : a > b)) {
                long t = a; a = b; b = t;
            }
            return new long[] {a, b};
        }

        private void newView() {
            if (random.nextInt(4) == 0) {
                view = root;
                modelView = modelRoot;
                viewName = "root";
            }
            long[] ab = boundPair();
            long a = ab[0], b = ab[1];
            boolean ai = random.nextBoolean(), bi = random.nextBoolean();
            int kind = random.nextInt(8);
            String name = switch (kind) {
                case 0 -> ".descendingMap()";
                case 1 -> ".subMap(" + a + ", " + ai + ", " + b + ", " + bi + ")";
                case 2 -> ".subMap(" + a + ", " + b + ")";
                case 3 -> ".headMap(" + b + ", " + bi + ")";
                case 4 -> ".headMap(" + b + ")";
                case 5 -> ".tailMap(" + a + ", " + ai + ")";
                case 6 -> ".tailMap(" + a + ")";
                default -> ".descendingMap().subMap(" + b + ", " + bi + ", " + a + ", " + ai + ")";
            };
            Function<ConcurrentNavigableMap<Long, Long>, ConcurrentNavigableMap<Long, Long>> derive = m -> switch (kind) {
                case 0 -> m.descendingMap();
                case 1 -> m.subMap(a, ai, b, bi);
                case 2 -> m.subMap(a, b);
                case 3 -> m.headMap(b, bi);
                case 4 -> m.headMap(b);
                case 5 -> m.tailMap(a, ai);
                case 6 -> m.tailMap(a);
                default -> m.descendingMap().subMap(b, bi, a, ai);
            };
            what = "derive " + viewName + name;
            Object expected = outcome(() -> derive.apply(modelView));
            Object actual = outcome(() -> derive.apply(view));
            if (expected instanceof Class<?> || actual instanceof Class<?>) {
                assertEquals(expected, actual, what);
                return; // both refused the bounds: keep the current view
            }
            view = derive.apply(view);
            modelView = derive.apply(modelView);
            viewName = viewName.length() > 200 ? "(deep view)" + name : viewName + name;
            same("comparator", view::comparator, modelView::comparator);
        }

        private void step() {
            long k = keys.key(), v = keys.value();
            ConcurrentNavigableMap<Long, Long> m = view, x = modelView;
            int p = random.nextInt(100);
            switch (p) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> same("get " + k, () -> m.get(k), () -> x.get(k));
                case 8, 9, 10 -> same("containsKey " + k, () -> m.containsKey(k), () -> x.containsKey(k));
                case 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 -> same("put " + k + "=" + v, () -> m.put(k, v), () -> x.put(k, v));
                case 21, 22, 23 -> same("putIfAbsent " + k + "=" + v, () -> m.putIfAbsent(k, v), () -> x.putIfAbsent(k, v));
                case 24, 25, 26, 27, 28, 29 -> same("remove " + k, () -> m.remove(k), () -> x.remove(k));
                case 30, 31 -> {
                    long cur = currentOr(k, v);
                    same("remove " + k + "=" + cur, () -> m.remove(k, cur), () -> x.remove(k, cur));
                }
                case 32, 33 -> {
                    long cur = currentOr(k, v);
                    same("replace " + k + " " + cur + "->" + v, () -> m.replace(k, cur, v), () -> x.replace(k, cur, v));
                }
                case 34, 35 -> same("replace " + k + "=" + v, () -> m.replace(k, v), () -> x.replace(k, v));
                case 36, 37 -> same("compute " + k, () -> m.compute(k, remap), () -> x.compute(k, remap));
                case 38, 39 -> same("computeIfAbsent " + k, () -> m.computeIfAbsent(k, absentMapping), () -> x.computeIfAbsent(k, absentMapping));
                case 40, 41 -> same("computeIfPresent " + k, () -> m.computeIfPresent(k, remap), () -> x.computeIfPresent(k, remap));
                case 42, 43 -> same("merge " + k + "=" + v, () -> m.merge(k, v, merger), () -> x.merge(k, v, merger));
                case 44, 45, 46, 47, 48, 49, 50, 51 -> navigate(m, x, k);
                case 52, 53, 54, 55 -> ends(m, x);
                case 56, 57 -> same("pollFirstEntry", m::pollFirstEntry, x::pollFirstEntry);
                case 58, 59 -> same("pollLastEntry", m::pollLastEntry, x::pollLastEntry);
                case 60, 61, 62 -> same("size", m::size, x::size);
                case 63, 64 -> same("isEmpty", m::isEmpty, x::isEmpty);
                case 65 -> same("containsValue " + v, () -> m.containsValue(v), () -> x.containsValue(v));
                case 66, 67, 68, 69, 70, 71 -> iterate(m, x);
                case 72, 73, 74 -> iteratorRemove(m, x);
                case 75, 76, 77, 78 -> keySet(m.navigableKeySet(), x.navigableKeySet(), k);
                case 79, 80 -> keySet(m.descendingKeySet(), x.descendingKeySet(), k);
                case 81 -> same("keySet.remove " + k, () -> m.keySet().remove(k), () -> x.keySet().remove(k));
                case 82 -> {
                    Map.Entry<Long, Long> e = new AbstractMap.SimpleImmutableEntry<>(k, currentOr(k, v));
                    same("entrySet.contains " + e, () -> m.entrySet().contains(e), () -> x.entrySet().contains(e));
                    same("entrySet.remove " + e, () -> m.entrySet().remove(e), () -> x.entrySet().remove(e));
                }
                case 83 -> same("values.remove " + v, () -> m.values().remove(v), () -> x.values().remove(v));
                case 84 -> same("values.contains " + v, () -> m.values().contains(v), () -> x.values().contains(v));
                case 85 -> {
                    Map<Long, Long> batch = new LinkedHashMap<>();
                    for (int i = random.nextInt(4); i >= 0; i--) {
                        batch.put(keys.key(), keys.value());
                    }
                    same("putAll " + batch, () -> { m.putAll(batch); return null; }, () -> { putAllOrNothing(x, batch); return null; });
                }
                case 86 -> wholeView(m, x);
                case 87 -> {
                    if (random.nextInt(20) == 0) {
                        same("replaceAll", () -> { m.replaceAll((a, b) -> a ^ b); return null; },
                                () -> { x.replaceAll((a, b) -> a ^ b); return null; });
                    }
                }
                case 88 -> {
                    if (random.nextInt(20) == 0) {
                        same("entrySet.removeIf", () -> m.entrySet().removeIf(e -> (e.getKey() ^ e.getValue()) % 3 == 0),
                                () -> x.entrySet().removeIf(e -> (e.getKey() ^ e.getValue()) % 3 == 0));
                        same("values.removeIf", () -> m.values().removeIf(val -> val % 5 == 0),
                                () -> x.values().removeIf(val -> val % 5 == 0));
                    }
                }
                case 89 -> {
                    if (random.nextInt(100) == 0) {
                        same("clear", () -> { m.clear(); return null; }, () -> { x.clear(); return null; });
                    }
                }
                case 90 -> {
                    if (random.nextInt(50) == 0) {
                        what = "serialization round trip";
                        assertEquals(x, reserialize(m), what);
                    }
                }
                default -> same("get " + k, () -> m.get(k), () -> x.get(k));
            }
        }

        /**
         * The model's putAll, made all-or-nothing: CobTreeMap checks a batch before writing it
         * (a failed call leaves the index unchanged), where ConcurrentSkipListMap's views write
         * the entries before the first one out of range.
         */
        private static void putAllOrNothing(ConcurrentNavigableMap<Long, Long> x, Map<Long, Long> batch) {
            Map<Long, Long> undo = new LinkedHashMap<>();
            try {
                for (Map.Entry<Long, Long> e : batch.entrySet()) {
                    undo.put(e.getKey(), x.get(e.getKey())); // null: was absent
                    x.put(e.getKey(), e.getValue());
                }
            } catch (RuntimeException failed) {
                undo.forEach((k, prev) -> {
                    if (prev == null) {
                        x.remove(k);
                    } else {
                        x.put(k, prev);
                    }
                });
                throw failed;
            }
        }

        private long currentOr(long k, long other) {
            Long cur = modelRoot.get(k);
            return cur != null && random.nextBoolean() ? cur : other;
        }

        private void navigate(ConcurrentNavigableMap<Long, Long> m, ConcurrentNavigableMap<Long, Long> x, long k) {
            switch (random.nextInt(8)) {
                case 0 -> same("lowerEntry " + k, () -> m.lowerEntry(k), () -> x.lowerEntry(k));
                case 1 -> same("floorEntry " + k, () -> m.floorEntry(k), () -> x.floorEntry(k));
                case 2 -> same("ceilingEntry " + k, () -> m.ceilingEntry(k), () -> x.ceilingEntry(k));
                case 3 -> same("higherEntry " + k, () -> m.higherEntry(k), () -> x.higherEntry(k));
                case 4 -> same("lowerKey " + k, () -> m.lowerKey(k), () -> x.lowerKey(k));
                case 5 -> same("floorKey " + k, () -> m.floorKey(k), () -> x.floorKey(k));
                case 6 -> same("ceilingKey " + k, () -> m.ceilingKey(k), () -> x.ceilingKey(k));
                default -> same("higherKey " + k, () -> m.higherKey(k), () -> x.higherKey(k));
            }
        }

        private void ends(ConcurrentNavigableMap<Long, Long> m, ConcurrentNavigableMap<Long, Long> x) {
            switch (random.nextInt(4)) {
                case 0 -> same("firstKey", m::firstKey, x::firstKey);
                case 1 -> same("lastKey", m::lastKey, x::lastKey);
                case 2 -> same("firstEntry", m::firstEntry, x::firstEntry);
                default -> same("lastEntry", m::lastEntry, x::lastEntry);
            }
        }

        /** The first few elements of one of the view's collections, through its iterator. */
        private void iterate(ConcurrentNavigableMap<Long, Long> m, ConcurrentNavigableMap<Long, Long> x) {
            int n = 1 + random.nextInt(24);
            switch (random.nextInt(5)) {
                case 0 -> same("entrySet head " + n, () -> head(m.entrySet().iterator(), n), () -> head(x.entrySet().iterator(), n));
                case 1 -> same("keySet head " + n, () -> head(m.keySet().iterator(), n), () -> head(x.keySet().iterator(), n));
                case 2 -> same("values head " + n, () -> head(m.values().iterator(), n), () -> head(x.values().iterator(), n));
                case 3 -> same("descendingIterator head " + n, () -> head(m.navigableKeySet().descendingIterator(), n),
                        () -> head(x.navigableKeySet().descendingIterator(), n));
                default -> same("descendingMap entries head " + n, () -> head(m.descendingMap().entrySet().iterator(), n),
                        () -> head(x.descendingMap().entrySet().iterator(), n));
            }
        }

        private static <T> List<Object> head(Iterator<T> it, int n) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n && it.hasNext(); i++) {
                T t = it.next();
                out.add(t instanceof Map.Entry<?, ?> e ? new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()) : t);
            }
            out.add(it.hasNext());
            return out;
        }

        /** Skips a few entries, removes the current one through the iterator, and continues. */
        private void iteratorRemove(ConcurrentNavigableMap<Long, Long> m, ConcurrentNavigableMap<Long, Long> x) {
            int skip = random.nextInt(6);
            boolean entries = random.nextBoolean();
            Supplier<Iterator<?>> mine = () -> entries ? m.entrySet().iterator() : m.values().iterator();
            Supplier<Iterator<?>> theirs = () -> entries ? x.entrySet().iterator() : x.values().iterator();
            same("iterator.remove after " + skip, () -> removeVia(mine.get(), skip), () -> removeVia(theirs.get(), skip));
        }

        private static List<Object> removeVia(Iterator<?> it, int skip) {
            List<Object> out = new ArrayList<>();
            try {
                it.remove();
                out.add("remove before next allowed");
            } catch (IllegalStateException expected) {
                out.add("ISE");
            }
            for (int i = 0; i <= skip && it.hasNext(); i++) {
                out.add(String.valueOf(it.next()));
            }
            if (out.size() > 1) {
                it.remove();
                try {
                    it.remove();
                    out.add("second remove allowed");
                } catch (IllegalStateException expected) {
                    out.add("ISE");
                }
            }
            out.add(head(it, 3));
            return out;
        }

        private void keySet(NavigableSet<Long> m, NavigableSet<Long> x, long k) {
            switch (random.nextInt(8)) {
                case 0 -> same("keys.ceiling " + k, () -> m.ceiling(k), () -> x.ceiling(k));
                case 1 -> same("keys.lower " + k, () -> m.lower(k), () -> x.lower(k));
                case 2 -> same("keys.first", m::first, x::first);
                case 3 -> same("keys.pollLast", m::pollLast, x::pollLast);
                case 4 -> same("keys.contains " + k, () -> m.contains(k), () -> x.contains(k));
                case 5 -> {
                    long[] ab = boundPair();
                    same("keys.subSet " + ab[0] + ", " + ab[1], () -> head(m.subSet(ab[0], true, ab[1], false).iterator(), 8),
                            () -> head(x.subSet(ab[0], true, ab[1], false).iterator(), 8));
                }
                case 6 -> same("keys.headSet " + k, () -> head(m.headSet(k, false).descendingIterator(), 8),
                        () -> head(x.headSet(k, false).descendingIterator(), 8));
                default -> same("keys.tailSet " + k + " size", () -> m.tailSet(k, false).size(), () -> x.tailSet(k, false).size());
            }
        }

        /** Whole-view comparisons: contents, equality both ways, hash codes, strings. */
        private void wholeView(ConcurrentNavigableMap<Long, Long> m, ConcurrentNavigableMap<Long, Long> x) {
            same("entries", () -> new ArrayList<>(m.entrySet()), () -> new ArrayList<>(x.entrySet()));
            what = "equals/hashCode/toString";
            assertEquals(true, m.equals(x), "view equals model");
            assertEquals(true, x.equals(m), "model equals view");
            assertEquals(x.hashCode(), m.hashCode(), "hashCode");
            assertEquals(x.toString(), m.toString(), "toString");
            assertEquals(x.keySet(), m.keySet(), "keySet equals");
            assertEquals(x.keySet().hashCode(), m.keySet().hashCode(), "keySet hashCode");
        }

        private void compareAll() {
            what = "whole map";
            assertEquals(modelRoot.size(), root.size(), "size");
            assertEquals(new ArrayList<>(modelRoot.entrySet()), new ArrayList<>(root.entrySet()), "entries");
            assertEquals(new ArrayList<>(modelRoot.descendingMap().keySet()), new ArrayList<>(root.descendingKeySet()), "descending keys");
            assertEquals(modelView, view, "current view " + viewName);
        }

        private static Object reserialize(Object o) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(o);
                }
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    return in.readObject();
                }
            } catch (IOException | ClassNotFoundException e) {
                throw new AssertionError(e);
            }
        }
    }
}
