package dev.cobtree.core;

import dev.cobtree.core.ModelLinearizabilityChecker.Op;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static dev.cobtree.core.ModelLinearizabilityChecker.ABSENT;

/**
 * Redteam: recorded concurrent histories of every read and write form of {@link CobTree},
 * {@link CobTreeMap} and its views, {@link LongObjectTree} and {@link LongObjectTreeMap} and its
 * views, including clear() and close(), checked against a {@link java.util.concurrent.ConcurrentSkipListMap}
 * model by {@link ModelLinearizabilityChecker}. Two tree shapes: "sparse" (segment size 8, room
 * for 20000 entries: the keys are hundreds of empty segments apart) and "dense" (segment size 8,
 * initial capacity 1, 14 close keys: inserts and removes force rebalances, grows and shrinks).
 * Each part runs {@code cobtree.redteam.millis} (default 2000) ms or {@code cobtree.redteam.histories}.
 * {@code -Dcobtree.seed=N} replays the programs.
 */
class RedteamHistoryTest {

    static final long MILLIS = Long.getLong("cobtree.redteam.millis", 2000);
    static final int HISTORIES = Integer.getInteger("cobtree.redteam.histories", Integer.MAX_VALUE);
    static final int THREADS = 3;
    static final long[] SPARSE = {100, 200, 300, 400, 500, 600, 700};
    static final long[] DENSE = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140};
    /** 24 keys, half of the calls writes: the tight array (capacity 1) grows, shrinks and rebalances under the reads. */
    static final long[] CHURN = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210, 220, 230, 240};

    static Runner runner;

    @BeforeAll
    static void start() {
        runner = new Runner(THREADS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        runner.close();
    }

    // ---- shapes and targets -----------------------------------------------------------------------

    enum Shape {
        SPARSE_SHAPE(RedteamHistoryTest.SPARSE, 20_000), DENSE_SHAPE(RedteamHistoryTest.DENSE, 1), CHURN_SHAPE(RedteamHistoryTest.CHURN, 1);
        final long[] universe;
        final long capacity;

        Shape(long[] u, long capacity) {
            this.universe = u;
            this.capacity = capacity;
        }

        long gap() {
            return (universe[1] - universe[0]) / 2;
        }
    }

    enum Api { TREE, MAP, OBJ_TREE, OBJ_MAP }

    static Object build(Api api, Shape shape, long[] initial) {
        long[] keys = new long[initial.length];
        long[] values = new long[initial.length];
        Long[] refs = new Long[initial.length];
        int n = 0;
        for (int i = 0; i < initial.length; i++) {
            if (initial[i] != ABSENT) {
                keys[n] = shape.universe[i];
                values[n] = initial[i];
                refs[n++] = Long.valueOf(initial[i]);
            }
        }
        switch (api) {
            case TREE, MAP -> {
                CobTree.Builder b = CobTree.builder().segmentSize(8);
                if (shape.capacity > 0) {
                    b.initialCapacity(shape.capacity);
                }
                CobTree t = b.buildFromSorted(keys, values, 0, n);
                return api == Api.TREE ? t : new CobTreeMap(t);
            }
            default -> {
                LongObjectTree.Builder b = LongObjectTree.builder().segmentSize(8);
                if (shape.capacity > 0) {
                    b.initialCapacity(shape.capacity);
                }
                LongObjectTree<Long> t = b.buildFromSorted(keys, refs, 0, n);
                return api == Api.OBJ_TREE ? t : t.asMap();
            }
        }
    }

    static void close(Object target) {
        if (target instanceof CobTree t) {
            t.close();
        } else if (target instanceof CobTreeMap m) {
            m.tree().close();
        } else if (target instanceof LongObjectTree<?> t) {
            t.close();
        } else {
            ((LongObjectTreeMap<?>) target).tree().close();
        }
    }

    static CobTreeStatistics stats(Object target) {
        if (target instanceof CobTree t) {
            return t.statistics();
        } else if (target instanceof CobTreeMap m) {
            return m.tree().statistics();
        } else if (target instanceof LongObjectTree<?> t) {
            return t.cob().statistics();
        }
        return ((LongObjectTreeMap<?>) target).tree().cob().statistics();
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test void treeSparse() { check(Api.TREE, Shape.SPARSE_SHAPE); }
    @Test void treeDense() { check(Api.TREE, Shape.DENSE_SHAPE); }
    @Test void mapViewsSparse() { check(Api.MAP, Shape.SPARSE_SHAPE); }
    @Test void mapViewsDense() { check(Api.MAP, Shape.DENSE_SHAPE); }
    @Test void objectTreeSparse() { check(Api.OBJ_TREE, Shape.SPARSE_SHAPE); }
    @Test void objectTreeDense() { check(Api.OBJ_TREE, Shape.DENSE_SHAPE); }
    @Test void objectMapViewsSparse() { check(Api.OBJ_MAP, Shape.SPARSE_SHAPE); }
    @Test void objectMapViewsDense() { check(Api.OBJ_MAP, Shape.DENSE_SHAPE); }
    @Test void treeChurn() { check(Api.TREE, Shape.CHURN_SHAPE); }
    @Test void mapViewsChurn() { check(Api.MAP, Shape.CHURN_SHAPE); }
    @Test void objectTreeChurn() { check(Api.OBJ_TREE, Shape.CHURN_SHAPE); }
    @Test void objectMapViewsChurn() { check(Api.OBJ_MAP, Shape.CHURN_SHAPE); }

    void check(Api api, Shape shape) {
        String name = "RedteamHistoryTest " + api + " " + shape;
        long seed = StoreKinds.seed(name);
        long deadline = System.nanoTime() + MILLIS * 1_000_000;
        long ops = 0, resizes = 0, rebalances = 0, closes = 0;
        int i = 0;
        for (; i < HISTORIES && System.nanoTime() < deadline; i++) {
            SplittableRandom rnd = new SplittableRandom(seed + i);
            long[] initial = initial(rnd, shape);
            Object target = build(api, shape, initial);
            // closes only through the primitive APIs: a closed tree's bounded views answer out-of-range
            // queries without throwing (RedteamConformanceTest.closedViewsThrowForOutOfRangeKeys)
            boolean withClose = (api == Api.TREE || api == Api.OBJ_TREE) && rnd.nextInt(10) == 0;
            List<List<Op>> programs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int n = 6 + rnd.nextInt(5);
                int closeAt = withClose && t == 0 ? rnd.nextInt(n) : -1;
                List<Op> p = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    if (j == closeAt) {
                        closes++;
                        p.add(new Op(t, "close()", x -> { close(x); return null; }, null));
                    } else {
                        p.add(randomOp(api, shape, rnd, t, j));
                    }
                }
                programs.add(p);
            }
            List<Op> history = runner.run(target, programs);
            ops += history.size();
            if (!withClose) {
                CobTreeStatistics st = stats(target);
                resizes += st.resizes();
                rebalances += st.rebalances();
            }
            ModelLinearizabilityChecker checker = new ModelLinearizabilityChecker(shape.universe, initial);
            ModelLinearizabilityChecker.Result r = checker.check(history);
            if (!r.linearizable()) {
                throw new AssertionError(String.format("%s: history %d not linearizable (seed %d, replay -Dcobtree.seed=%d)%n  initial %s; calls:%s%n  longest prefix (%d of %d): %s%n  %s",
                        name, i, seed, seed, describe(shape, initial), ModelLinearizabilityChecker.format(history),
                        r.longestPrefix().size(), history.size(), r.longestPrefix(), checker.sequentialExplanation(history)));
            }
        }
        System.out.printf("%s: %,d histories, %,d ops linearizable (%,d resizes, %,d rebalances, %,d closes)%n",
                name, i, ops, resizes, rebalances, closes);
    }

    static String describe(Shape shape, long[] initial) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < initial.length; i++) {
            if (initial[i] != ABSENT) {
                sb.append(sb.length() > 1 ? ", " : "").append(shape.universe[i]).append('=').append(initial[i]);
            }
        }
        return sb.append('}').toString();
    }

    static long[] initial(SplittableRandom rnd, Shape shape) {
        long[] s = new long[shape.universe.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = rnd.nextInt(3) != 0 ? 1000 + shape.universe[i] : ABSENT;
        }
        return s;
    }

    // ---- operations ---------------------------------------------------------------------------

    /** A query key: on a universe key, in the gap below it, above the last, or an extreme. */
    static long queryKey(SplittableRandom rnd, Shape shape) {
        int r = rnd.nextInt(20);
        if (r == 0) {
            return Long.MIN_VALUE;
        }
        if (r == 1) {
            return Long.MAX_VALUE;
        }
        long k = shape.universe[rnd.nextInt(shape.universe.length)];
        return r < 11 ? k : r < 18 ? k - shape.gap() : k + shape.gap();
    }

    /** A value from a small set, so that conditional writes often match. */
    static long smallValue(SplittableRandom rnd, long key) {
        return rnd.nextBoolean() ? 1000 + key : 5000 + rnd.nextInt(3);
    }

    static Op randomOp(Api api, Shape shape, SplittableRandom rnd, int t, int j) {
        if (shape == Shape.CHURN_SHAPE && rnd.nextBoolean()) {
            for (;;) { // a write: a put or a remove of a universe key
                Op op = anyOp(api, shape, rnd, t, j);
                String n = op.name.substring(op.name.indexOf('.') + 1);
                if (n.startsWith("put(") || n.startsWith("remove(")) {
                    return op;
                }
            }
        }
        return anyOp(api, shape, rnd, t, j);
    }

    static Op anyOp(Api api, Shape shape, SplittableRandom rnd, int t, int j) {
        return switch (api) {
            case TREE -> treeOp(shape, rnd, t, j);
            case OBJ_TREE -> objectTreeOp(shape, rnd, t, j);
            default -> mapOp(shape, rnd, t, j);
        };
    }

    static String e(KeyValue kv) {
        return kv.key + "=" + kv.value;
    }

    static Op treeOp(Shape shape, SplittableRandom rnd, int t, int j) {
        long k = shape.universe[rnd.nextInt(shape.universe.length)];
        long q = queryKey(rnd, shape);
        long q2 = queryKey(rnd, shape);
        long v = (t + 1) * 10_000L + j;
        long sv = smallValue(rnd, k);
        boolean i1 = rnd.nextBoolean(), i2 = rnd.nextBoolean();
        long idx = rnd.nextInt(9) - 1;
        int r = rnd.nextInt(34);
        return switch (r) {
            case 0, 1 -> op(t, "put(" + k + "," + v + ")", (CobTree x) -> x.put(k, v, -1L), m -> { Long p = m.put(k, v); return p == null ? -1L : p; });
            case 2 -> op(t, "put(" + k + "," + sv + ")", (CobTree x) -> x.put(k, sv, -1L), m -> { Long p = m.put(k, sv); return p == null ? -1L : p; });
            case 3, 4 -> op(t, "remove(" + k + ")", (CobTree x) -> x.remove(k, -1L), m -> { Long p = m.remove(k); return p == null ? -1L : p; });
            case 5 -> op(t, "putIfAbsent(" + k + "," + v + ")", (CobTree x) -> x.putIfAbsent(k, v, -1L), m -> { Long p = m.putIfAbsent(k, v); return p == null ? -1L : p; });
            case 6 -> op(t, "replace(" + k + "," + sv + "->" + v + ")", (CobTree x) -> x.replace(k, sv, v), m -> m.replace(k, sv, v));
            case 7 -> op(t, "replaceKV(" + k + "," + v + ")", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.replace(k, v, kv) ? e(kv) : null; },
                    m -> { Long p = m.replace(k, v); return p == null ? null : k + "=" + p; });
            case 8 -> op(t, "removeEntry(" + k + "," + sv + ")", (CobTree x) -> x.removeEntry(k, sv), m -> m.remove(k, sv));
            case 9 -> op(t, "get(" + q + ")", (CobTree x) -> x.get(q, -1L), m -> m.getOrDefault(q, -1L));
            case 10 -> op(t, "getKV(" + q + ")", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.get(q, kv) ? e(kv) : null; },
                    m -> { Long p = m.get(q); return p == null ? null : q + "=" + p; });
            case 11 -> op(t, "containsKey(" + q + ")", (CobTree x) -> x.containsKey(q), m -> m.containsKey(q));
            case 12, 13 -> op(t, "ceiling(" + q + ")", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.ceiling(q, kv) ? e(kv) : null; }, m -> m.ceilingEntry(q));
            case 14, 15 -> op(t, "floor(" + q + ")", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.floor(q, kv) ? e(kv) : null; }, m -> m.floorEntry(q));
            case 16 -> op(t, "higher(" + q + ")", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.higher(q, kv) ? e(kv) : null; }, m -> m.higherEntry(q));
            case 17 -> op(t, "lower(" + q + ")", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.lower(q, kv) ? e(kv) : null; }, m -> m.lowerEntry(q));
            case 18 -> op(t, "first()", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.first(kv) ? e(kv) : null; }, m -> m.firstEntry());
            case 19 -> op(t, "last()", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.last(kv) ? e(kv) : null; }, m -> m.lastEntry());
            case 20 -> op(t, "firstKey()", (CobTree x) -> x.firstKey(), m -> m.firstKey());
            case 21 -> op(t, "lastKey()", (CobTree x) -> x.lastKey(), m -> m.lastKey());
            case 22 -> op(t, "isEmpty()", (CobTree x) -> x.isEmpty(), m -> m.isEmpty());
            case 23 -> op(t, "pollFirst()", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.pollFirst(kv) ? e(kv) : null; }, m -> m.pollFirstEntry());
            case 24 -> op(t, "pollLast()", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.pollLast(kv) ? e(kv) : null; }, m -> m.pollLastEntry());
            case 25, 26 -> op(t, "countRange(" + q + "," + i1 + "," + q2 + "," + i2 + ")", (CobTree x) -> x.countRange(q, i1, q2, i2),
                    m -> m.subMap(q, i1, q2, i2).size());
            case 27, 28 -> op(t, "rank(" + q + ")", (CobTree x) -> x.rank(q), m -> m.headMap(q, false).size());
            case 29, 30 -> op(t, "select(" + idx + ")", (CobTree x) -> { KeyValue kv = new KeyValue(); return x.select(idx, kv) ? e(kv) : null; }, m -> select(m, idx));
            case 31 -> op(t, "clear()", (CobTree x) -> { x.clear(); return null; }, m -> { m.clear(); return null; });
            default -> op(t, "remove(" + k + ")", (CobTree x) -> x.remove(k, -1L), m -> { Long p = m.remove(k); return p == null ? -1L : p; });
        };
    }

    static Object select(NavigableMap<Long, Long> m, long idx) {
        if (idx < 0) {
            throw new IllegalArgumentException();
        }
        long i = 0;
        for (Map.Entry<Long, Long> en : m.entrySet()) {
            if (i++ == idx) {
                return en;
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static <T> Op op(int t, String name, Function<T, Object> real, Function<NavigableMap<Long, Long>, Object> model) {
        return new Op(t, name, x -> real.apply((T) x), model);
    }

    static Long orMinus(Long v) {
        return v == null ? -1L : v;
    }

    @SuppressWarnings("unchecked")
    static Op objectTreeOp(Shape shape, SplittableRandom rnd, int t, int j) {
        long k = shape.universe[rnd.nextInt(shape.universe.length)];
        long q = queryKey(rnd, shape);
        long q2 = queryKey(rnd, shape);
        long v = (t + 1) * 10_000L + j;
        long sv = smallValue(rnd, k);
        boolean i1 = rnd.nextBoolean(), i2 = rnd.nextBoolean();
        long idx = rnd.nextInt(9) - 1;
        int r = rnd.nextInt(38);
        // fresh Long instances (values > 127): conditional ops must compare with equals, not ==
        return switch (r) {
            case 0, 1 -> op(t, "put(" + k + "," + v + ")", (LongObjectTree<Long> x) -> x.put(k, Long.valueOf(v)), m -> m.put(k, v));
            case 2 -> op(t, "put(" + k + "," + sv + ")", (LongObjectTree<Long> x) -> x.put(k, Long.valueOf(sv)), m -> m.put(k, sv));
            case 3, 4 -> op(t, "remove(" + k + ")", (LongObjectTree<Long> x) -> x.remove(k), m -> m.remove(k));
            case 5 -> op(t, "putIfAbsent(" + k + "," + v + ")", (LongObjectTree<Long> x) -> x.putIfAbsent(k, Long.valueOf(v)), m -> m.putIfAbsent(k, v));
            case 6 -> op(t, "replace(" + k + "," + sv + "->" + v + ")", (LongObjectTree<Long> x) -> x.replace(k, Long.valueOf(sv), Long.valueOf(v)), m -> m.replace(k, sv, v));
            case 7 -> op(t, "replace(" + k + "," + v + ")", (LongObjectTree<Long> x) -> x.replace(k, Long.valueOf(v)), m -> m.replace(k, v));
            case 8 -> op(t, "remove(" + k + "," + sv + ")", (LongObjectTree<Long> x) -> x.remove(k, Long.valueOf(sv)), m -> m.remove(k, sv));
            case 9, 10 -> op(t, "get(" + q + ")", (LongObjectTree<Long> x) -> x.get(q), m -> m.get(q));
            case 11 -> op(t, "containsKey(" + q + ")", (LongObjectTree<Long> x) -> x.containsKey(q), m -> m.containsKey(q));
            case 12 -> op(t, "ceilingEntry(" + q + ")", (LongObjectTree<Long> x) -> x.ceilingEntry(q), m -> m.ceilingEntry(q));
            case 13 -> op(t, "floorEntry(" + q + ")", (LongObjectTree<Long> x) -> x.floorEntry(q), m -> m.floorEntry(q));
            case 14 -> op(t, "higherEntry(" + q + ")", (LongObjectTree<Long> x) -> x.higherEntry(q), m -> m.higherEntry(q));
            case 15 -> op(t, "lowerEntry(" + q + ")", (LongObjectTree<Long> x) -> x.lowerEntry(q), m -> m.lowerEntry(q));
            case 16 -> op(t, "ceilingKey(" + q + ")", (LongObjectTree<Long> x) -> x.ceilingKey(q, -1L), m -> orMinus(m.ceilingKey(q)));
            case 17 -> op(t, "floorKey(" + q + ")", (LongObjectTree<Long> x) -> x.floorKey(q, -1L), m -> orMinus(m.floorKey(q)));
            case 18 -> op(t, "higherKey(" + q + ")", (LongObjectTree<Long> x) -> x.higherKey(q, -1L), m -> orMinus(m.higherKey(q)));
            case 19 -> op(t, "lowerKey(" + q + ")", (LongObjectTree<Long> x) -> x.lowerKey(q, -1L), m -> orMinus(m.lowerKey(q)));
            case 20 -> op(t, "firstEntry()", (LongObjectTree<Long> x) -> x.firstEntry(), m -> m.firstEntry());
            case 21 -> op(t, "lastEntry()", (LongObjectTree<Long> x) -> x.lastEntry(), m -> m.lastEntry());
            case 22 -> op(t, "firstKey()", (LongObjectTree<Long> x) -> x.firstKey(), m -> m.firstKey());
            case 23 -> op(t, "lastKey()", (LongObjectTree<Long> x) -> x.lastKey(), m -> m.lastKey());
            case 24 -> op(t, "isEmpty()", (LongObjectTree<Long> x) -> x.isEmpty(), m -> m.isEmpty());
            case 25 -> op(t, "pollFirstEntry()", (LongObjectTree<Long> x) -> x.pollFirstEntry(), m -> m.pollFirstEntry());
            case 26 -> op(t, "pollLastEntry()", (LongObjectTree<Long> x) -> x.pollLastEntry(), m -> m.pollLastEntry());
            case 27 -> op(t, "countRange(" + q + "," + i1 + "," + q2 + "," + i2 + ")", (LongObjectTree<Long> x) -> x.countRange(q, i1, q2, i2),
                    m -> m.subMap(q, i1, q2, i2).size());
            case 28 -> op(t, "rank(" + q + ")", (LongObjectTree<Long> x) -> x.rank(q), m -> m.headMap(q, false).size());
            case 29 -> op(t, "select(" + idx + ")", (LongObjectTree<Long> x) -> x.select(idx), m -> select(m, idx));
            case 30 -> op(t, "computeIfAbsent(" + k + "," + v + ")", (LongObjectTree<Long> x) -> x.computeIfAbsent(k, kk -> Long.valueOf(v)), m -> m.computeIfAbsent(k, kk -> v));
            case 31 -> op(t, "computeIfPresent(" + k + ",o%3==0?null:o+7)", (LongObjectTree<Long> x) -> x.computeIfPresent(k, (kk, o) -> o % 3 == 0 ? null : Long.valueOf(o + 7)),
                    m -> m.computeIfPresent(k, (kk, o) -> o % 3 == 0 ? null : o + 7));
            case 32, 33 -> op(t, "compute(" + k + ",null->" + v + ",even->null,odd->o+1)", (LongObjectTree<Long> x) -> x.compute(k, (kk, o) -> o == null ? Long.valueOf(v) : o % 2 == 0 ? null : Long.valueOf(o + 1)),
                    m -> m.compute(k, (kk, o) -> o == null ? Long.valueOf(v) : o % 2 == 0 ? null : Long.valueOf(o + 1)));
            case 34, 35 -> op(t, "merge(" + k + "," + v + ",odd->null,a+b)", (LongObjectTree<Long> x) -> x.merge(k, Long.valueOf(v), (a, b) -> a % 2 == 1 ? null : Long.valueOf(a + b)),
                    m -> m.merge(k, v, (a, b) -> a % 2 == 1 ? null : a + b));
            case 36 -> op(t, "clear()", (LongObjectTree<Long> x) -> { x.clear(); return null; }, m -> { m.clear(); return null; });
            default -> op(t, "get(" + k + ")", (LongObjectTree<Long> x) -> x.get(k), m -> m.get(k));
        };
    }

    /** A view of a navigable map, applied the same way to the map under test and to the model. */
    record View(String name, UnaryOperator<NavigableMap<Long, Long>> of, boolean bounded) {
    }

    static View[] views(Shape shape) {
        long[] u = shape.universe;
        long g = shape.gap();
        long a = u[1] + g, b = u[u.length - 2], c = u[u.length / 2], d = u[2];
        return new View[]{
                new View("m", m -> m, false),
                new View("m", m -> m, false),
                new View("m", m -> m, false),
                new View("sub[" + a + "," + b + ")", m -> m.subMap(a, true, b, false), true),
                new View("sub(" + d + "," + b + "]", m -> m.subMap(d, false, b, true), true),
                new View("head(" + c + "]", m -> m.headMap(c, true), true),
                new View("tail(" + c + ")", m -> m.tailMap(c, false), true),
                new View("desc", NavigableMap::descendingMap, false),
                new View("sub(" + d + "," + b + "].desc", m -> m.subMap(d, false, b, true).descendingMap(), true),
                new View("desc.head(" + c + "]", m -> m.descendingMap().headMap(c, true), true),
                new View("tail[" + a + "].desc.desc", m -> m.tailMap(a, true).descendingMap().descendingMap(), true),
                new View("desc.sub(" + b + "," + d + ")", m -> m.descendingMap().subMap(b, false, d, false), true),
                new View("tail[MIN]", m -> m.tailMap(Long.MIN_VALUE, true), true),
                new View("head[MAX]", m -> m.headMap(Long.MAX_VALUE, true), true),
        };
    }

    @SuppressWarnings("unchecked")
    static Op mapOp(Shape shape, SplittableRandom rnd, int t, int j) {
        View[] vs = views(shape);
        View view = vs[rnd.nextInt(vs.length)];
        long k = shape.universe[rnd.nextInt(shape.universe.length)];
        long q = queryKey(rnd, shape);
        long v = (t + 1) * 10_000L + j;
        long sv = smallValue(rnd, k);
        int r = rnd.nextInt(40);
        String n;
        Function<NavigableMap<Long, Long>, Object> f;
        switch (r) {
            case 0, 1 -> { n = "put(" + k + "," + v + ")"; f = m -> m.put(k, Long.valueOf(v)); }
            case 2 -> { n = "put(" + k + "," + sv + ")"; f = m -> m.put(k, Long.valueOf(sv)); }
            case 3, 4 -> { n = "remove(" + k + ")"; f = m -> m.remove(k); }
            case 5 -> { n = "putIfAbsent(" + k + "," + v + ")"; f = m -> m.putIfAbsent(k, Long.valueOf(v)); }
            case 6 -> { n = "replace(" + k + "," + sv + "->" + v + ")"; f = m -> m.replace(k, Long.valueOf(sv), Long.valueOf(v)); }
            case 7 -> { n = "replace(" + k + "," + v + ")"; f = m -> m.replace(k, Long.valueOf(v)); }
            case 8 -> { n = "remove(" + k + "," + sv + ")"; f = m -> m.remove(k, Long.valueOf(sv)); }
            case 9 -> { n = "get(" + q + ")"; f = m -> m.get(q); }
            case 10 -> { n = "containsKey(" + q + ")"; f = m -> m.containsKey(q); }
            case 11 -> { n = "ceilingEntry(" + q + ")"; f = m -> m.ceilingEntry(q); }
            case 12 -> { n = "floorEntry(" + q + ")"; f = m -> m.floorEntry(q); }
            case 13 -> { n = "higherEntry(" + q + ")"; f = m -> m.higherEntry(q); }
            case 14 -> { n = "lowerEntry(" + q + ")"; f = m -> m.lowerEntry(q); }
            case 15 -> { n = "ceilingKey(" + q + ")"; f = m -> m.ceilingKey(q); }
            case 16 -> { n = "floorKey(" + q + ")"; f = m -> m.floorKey(q); }
            case 17 -> { n = "higherKey(" + q + ")"; f = m -> m.higherKey(q); }
            case 18 -> { n = "lowerKey(" + q + ")"; f = m -> m.lowerKey(q); }
            case 19 -> { n = "firstKey()"; f = m -> m.firstKey(); }
            case 20 -> { n = "lastKey()"; f = m -> m.lastKey(); }
            case 21 -> { n = "firstEntry()"; f = m -> m.firstEntry(); }
            case 22 -> { n = "lastEntry()"; f = m -> m.lastEntry(); }
            case 23 -> { n = "pollFirstEntry()"; f = m -> m.pollFirstEntry(); }
            case 24 -> { n = "pollLastEntry()"; f = m -> m.pollLastEntry(); }
            case 25 -> { n = "isEmpty()"; f = m -> m.isEmpty(); }
            case 26, 27 -> {
                if (view.bounded()) { n = "size()"; f = m -> m.size(); } else { n = "isEmpty()"; f = m -> m.isEmpty(); }
            }
            case 28 -> { n = "compute(" + k + ",null->" + v + ",even->null,odd->o+1)"; f = m -> m.compute(k, (kk, o) -> o == null ? Long.valueOf(v) : o % 2 == 0 ? null : Long.valueOf(o + 1)); }
            case 29 -> { n = "computeIfAbsent(" + k + "," + v + ")"; f = m -> m.computeIfAbsent(k, kk -> Long.valueOf(v)); }
            case 30 -> { n = "computeIfPresent(" + k + ",o%3==0?null:o+7)"; f = m -> m.computeIfPresent(k, (kk, o) -> o % 3 == 0 ? null : Long.valueOf(o + 7)); }
            case 31 -> { n = "merge(" + k + "," + v + ",odd->null,a+b)"; f = m -> m.merge(k, Long.valueOf(v), (a, b) -> a % 2 == 1 ? null : Long.valueOf(a + b)); }
            case 32 -> { n = "keySet.contains(" + q + ")"; f = m -> m.keySet().contains(q); }
            case 33 -> { n = "navigableKeySet.ceiling(" + q + ")"; f = m -> m.navigableKeySet().ceiling(q); }
            case 34 -> { n = "descendingKeySet.first()"; f = m -> m.descendingKeySet().first(); }
            case 35 -> { n = "descendingKeySet.pollFirst()"; f = m -> m.descendingKeySet().pollFirst(); }
            case 36 -> { n = "keySet.remove(" + k + ")"; f = m -> m.keySet().remove(k); }
            case 37 -> { n = "getOrDefault(" + q + ")"; f = m -> m.getOrDefault(q, -1L); }
            case 38 -> {
                if (view.name().equals("m")) { n = "clear()"; f = m -> { m.clear(); return null; }; } else { n = "lastEntry()"; f = m -> m.lastEntry(); }
            }
            default -> { n = "get(" + k + ")"; f = m -> m.get(k); }
        }
        Function<NavigableMap<Long, Long>, Object> g = m -> f.apply(view.of().apply(m));
        return new Op(t, view.name() + "." + n, x -> g.apply((NavigableMap<Long, Long>) x), g);
    }

    // ---- running programs concurrently --------------------------------------------------------

    /** Worker threads released together per history (as HistoryLinearizabilityTest's runner). */
    static final class Runner implements AutoCloseable {
        private final Thread[] workers;
        private final AtomicInteger ready = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile int armed;
        private volatile int go;
        private volatile boolean closed;
        private volatile Thread caller;
        private volatile Object target;
        private volatile List<List<Op>> programs;

        Runner(int threads) {
            workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] = new Thread(() -> work(id), "redteam-history-" + t);
                workers[t].setDaemon(true);
                workers[t].start();
            }
        }

        private void work(int id) {
            for (int round = 1; ; round++) {
                while (armed < round) {
                    if (closed) {
                        return;
                    }
                    LockSupport.park(this);
                }
                ready.incrementAndGet();
                for (int spins = 0; go < round; spins++) {
                    if (spins > 20_000) {
                        Thread.yield();
                    } else {
                        Thread.onSpinWait();
                    }
                }
                try {
                    for (Op op : programs.get(id)) {
                        op.invoke = System.nanoTime();
                        op.run(target);
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

        List<Op> run(Object target, List<List<Op>> programs) {
            this.target = target;
            this.programs = programs;
            this.caller = Thread.currentThread();
            ready.set(0);
            done.set(0);
            int round = armed + 1;
            armed = round;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            for (int spins = 0; ready.get() < workers.length; spins++) {
                if (spins > 1_000) {
                    Thread.yield();
                }
            }
            go = round;
            long limit = System.nanoTime() + 30_000_000_000L;
            while (done.get() < workers.length) {
                LockSupport.parkNanos(this, 10_000_000);
                if (System.nanoTime() > limit) {
                    StringBuilder sb = new StringBuilder("a history hung for 30 s:");
                    for (Thread w : workers) {
                        sb.append("\n").append(w.getName());
                        for (StackTraceElement el : w.getStackTrace()) {
                            sb.append("\n    at ").append(el);
                        }
                    }
                    throw new AssertionError(sb.toString());
                }
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
