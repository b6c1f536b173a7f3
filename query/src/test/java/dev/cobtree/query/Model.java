package dev.cobtree.query;

import dev.cobtree.core.CobTree;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/** A CobTree and the TreeMap it must agree with, filled with random data, plus brute-force answers. */
final class Model {

    final CobTree tree;
    final TreeMap<Long, Long> map = new TreeMap<>();
    /** Candidate keys for queries: present keys, their neighbours, extremes. */
    final List<Long> probes = new ArrayList<>();

    Model(CobTree tree) {
        this.tree = tree;
    }

    /**
     * About {@code n} entries: clustered, spread and extreme keys, some removed again; in a tree
     * of small or default segments, so that skips and counts cross many segments.
     */
    static Model random(Random rnd, int n) {
        int[] segmentSizes = {8, 16, 128};
        Model m = new Model(CobTree.builder().segmentSize(segmentSizes[rnd.nextInt(segmentSizes.length)]).build());
        long base = rnd.nextLong() >> 8;
        for (int i = 0; i < n; i++) {
            long k = switch (rnd.nextInt(4)) {
                case 0 -> base + rnd.nextInt(4 * n);          // a dense cluster
                case 1 -> rnd.nextLong();                       // anywhere
                case 2 -> (long) rnd.nextInt(1000) - 500;       // around zero
                default -> rnd.nextBoolean() ? Long.MIN_VALUE + rnd.nextInt(8) : Long.MAX_VALUE - rnd.nextInt(8);
            };
            m.put(k, rnd.nextLong());
        }
        List<Long> keys = new ArrayList<>(m.map.keySet());
        for (int i = 0; i < n / 10 && !keys.isEmpty(); i++) {
            m.remove(keys.get(rnd.nextInt(keys.size())));
        }
        for (long k : m.map.keySet()) {
            m.probes.add(k);
            if (k != Long.MAX_VALUE) m.probes.add(k + 1);
            if (k != Long.MIN_VALUE) m.probes.add(k - 1);
        }
        Collections.addAll(m.probes, Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L);
        return m;
    }

    void put(long k, long v) {
        tree.put(k, v, 0);
        map.put(k, v);
    }

    void remove(long k) {
        tree.remove(k, 0);
        map.remove(k);
    }

    long probe(Random rnd) {
        return rnd.nextInt(10) == 0 ? rnd.nextLong() : probes.get(rnd.nextInt(probes.size()));
    }

    /** A random range over the probes: any mix of inclusive/exclusive bounds, sometimes empty or unbounded. */
    Range range(Random rnd) {
        long a = probe(rnd);
        long b = rnd.nextInt(8) == 0 ? a : probe(rnd);
        long lo = Math.min(a, b);
        long hi = Math.max(a, b);
        return switch (rnd.nextInt(10)) {
            case 0 -> Range.all();
            case 1 -> Range.atLeast(lo);
            case 2 -> Range.lessThan(hi);
            default -> Range.of(lo, rnd.nextBoolean(), hi, rnd.nextBoolean());
        };
    }

    /** The model's entries in {@code r}, ascending. */
    NavigableMap<Long, Long> sub(Range r) {
        return sub(map, r);
    }

    static <V> NavigableMap<Long, V> sub(NavigableMap<Long, V> m, Range r) {
        if (r.isEmpty()) return new TreeMap<>();
        return m.subMap(r.first(), true, r.last(), true);
    }

    /** The model's entries in {@code r} in the given order, at most {@code limit}: as [keys, values]. */
    long[][] expected(Range r, Order order, long limit) {
        NavigableMap<Long, Long> s = sub(r);
        if (order == Order.DESCENDING) s = s.descendingMap();
        int n = (int) Math.min(limit, s.size());
        long[] keys = new long[n];
        long[] values = new long[n];
        int i = 0;
        for (Map.Entry<Long, Long> e : s.entrySet()) {
            if (i == n) break;
            keys[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new long[][] {keys, values};
    }
}
