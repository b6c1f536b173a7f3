package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized model test: {@link LongObjectTree} against {@code TreeMap<Long, String>}, every
 * operation of the tree (writes, conditional writes by equals, compute/merge, navigation, polls,
 * counts, select, cursors with skip, forEachInRange, clear) compared answer by answer. Keys from a
 * small range so that operations collide, 8-cell segments so that rebalances and resizes happen
 * all the time. The seed is printed; {@code -Dcobtree.model.seed=N} replays one.
 */
class LongObjectTreeModelTest {

    private static final int OPS = Integer.getInteger("cobtree.model.ops", 1_000_000);

    @Test
    void againstTreeMap() {
        long seed = Long.getLong("cobtree.model.seed", System.nanoTime());
        System.out.println("LongObjectTreeModelTest seed " + seed + " (-Dcobtree.model.seed=" + seed + " replays it)");
        SplittableRandom rnd = new SplittableRandom(seed);
        LongObjectTree<String> tree = LongObjectTree.builder().segmentSize(8).build();
        TreeMap<Long, String> model = new TreeMap<>();
        int span = 2_000;
        for (int op = 0; op < OPS; op++) {
            long k = rnd.nextInt(span) - span / 2;
            String v = "v" + rnd.nextInt(4);
            String at = "seed " + seed + " op " + op + " key " + k;
            switch (rnd.nextInt(22)) {
                case 0, 1, 2 -> assertEquals(model.put(k, v), tree.put(k, v), at);
                case 3 -> assertEquals(model.get(k), tree.get(k), at);
                case 4, 5 -> assertEquals(model.remove(k), tree.remove(k), at);
                case 6 -> assertEquals(model.putIfAbsent(k, v), tree.putIfAbsent(k, v), at);
                case 7 -> assertEquals(model.replace(k, v), tree.replace(k, v), at);
                case 8 -> assertEquals(model.replace(k, "v0", v), tree.replace(k, new String("v0"), v), at); // equals, not ==
                case 9 -> assertEquals(model.remove(k, "v1"), tree.remove(k, new String("v1")), at);
                case 10 -> assertEquals(model.computeIfAbsent(k, x -> "c" + x), tree.computeIfAbsent(k, x -> "c" + x), at);
                case 11 -> assertEquals(model.merge(k, v, (a, b) -> a.length() > 6 ? null : a + b),
                        tree.merge(k, v, (a, b) -> a.length() > 6 ? null : a + b), at);
                case 12 -> assertEquals(model.compute(k, (x, o) -> o == null ? "n" : o.length() > 3 ? null : o + "x"),
                        tree.compute(k, (x, o) -> o == null ? "n" : o.length() > 3 ? null : o + "x"), at);
                case 13 -> {
                    assertEntry(model.floorEntry(k), tree.floorEntry(k), at);
                    assertEntry(model.ceilingEntry(k), tree.ceilingEntry(k), at);
                    assertEntry(model.higherEntry(k), tree.higherEntry(k), at);
                    assertEntry(model.lowerEntry(k), tree.lowerEntry(k), at);
                    Long f = model.floorKey(k);
                    assertEquals(f == null ? Long.MIN_VALUE : f, tree.floorKey(k, Long.MIN_VALUE), at);
                    Long c = model.ceilingKey(k);
                    assertEquals(c == null ? Long.MAX_VALUE : c, tree.ceilingKey(k, Long.MAX_VALUE), at);
                }
                case 14 -> {
                    if (rnd.nextBoolean()) {
                        assertEntry(model.pollFirstEntry(), tree.pollFirstEntry(), at);
                    } else {
                        assertEntry(model.pollLastEntry(), tree.pollLastEntry(), at);
                    }
                }
                case 15 -> {
                    assertEquals(model.headMap(k).size(), tree.rank(k), at);
                    long hi = k + rnd.nextInt(200);
                    assertEquals(model.subMap(k, true, hi, false).size(), tree.countRange(k, true, hi, false), at);
                    int index = rnd.nextInt(Math.max(1, model.size() + 2));
                    Map.Entry<Long, String> expected = index < model.size() ? model.entrySet().stream().skip(index).findFirst().get() : null;
                    assertEntry(expected, tree.select(index), at);
                }
                case 16 -> {
                    long hi = k + rnd.nextInt(300);
                    StringBuilder a = new StringBuilder();
                    model.subMap(k, true, hi, true).forEach((x, y) -> a.append(x).append('=').append(y).append(','));
                    StringBuilder b = new StringBuilder();
                    tree.forEachInRange(k, true, hi, true, (x, y) -> b.append(x).append('=').append(y).append(','));
                    assertEquals(a.toString(), b.toString(), at);
                }
                case 17 -> {
                    boolean down = rnd.nextBoolean();
                    var expected = (down ? model.headMap(k, true).descendingMap() : model.tailMap(k, true)).entrySet().iterator();
                    LongObjectTree.Cursor<String> cur = down ? tree.descendingCursor(k, true) : tree.cursor(k, true);
                    int skip = rnd.nextInt(30);
                    long skipped = cur.skip(skip);
                    Map.Entry<Long, String> last = null;
                    for (int i = 0; i < skip && expected.hasNext(); i++) {
                        last = expected.next();
                    }
                    assertEquals(Math.min(skip, (down ? model.headMap(k, true) : model.tailMap(k, true)).size()), skipped, at);
                    if (skipped > 0) {
                        assertEquals(last.getKey(), cur.key(), at);
                        assertEquals(last.getValue(), cur.value(), at);
                    }
                    for (int i = 0; i < 20 && expected.hasNext(); i++) {
                        Map.Entry<Long, String> e = expected.next();
                        assertTrue(cur.next(), at);
                        assertEquals(e.getKey(), cur.key(), at);
                        assertEquals(e.getValue(), cur.value(), at);
                    }
                }
                case 18 -> {
                    if (rnd.nextInt(2000) == 0) {
                        model.clear();
                        tree.clear();
                    }
                    assertEquals(model.size(), tree.size(), at);
                }
                default -> assertEquals(model.containsKey(k), tree.containsKey(k), at);
            }
        }
        assertEquals(model.size(), tree.size());
        assertEquals(model, tree.asMap());
    }

    private static void assertEntry(Map.Entry<Long, String> expected, LongObjectEntry<String> actual, String at) {
        if (expected == null) {
            assertEquals(null, actual, at);
        } else {
            assertEquals(expected.getKey(), actual == null ? null : actual.key(), at);
            assertEquals(expected.getValue(), actual.value(), at);
        }
    }
}
