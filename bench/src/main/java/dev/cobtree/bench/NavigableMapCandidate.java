package dev.cobtree.bench;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Any {@code NavigableMap<Long,Long>} used without locks: ConcurrentSkipListMap (fresh or
 * compacted) and cobtree's CobTreeMap. Scans iterate the entry set of a sub-map view, as a
 * user of the Map API would; strided access iterates and drops the entries in between (a
 * skip list has no faster way).
 */
public final class NavigableMapCandidate extends Candidate {

    private final NavigableMap<Long, Long> map;

    public NavigableMapCandidate(NavigableMap<Long, Long> map) {
        this.map = map;
    }

    @Override
    public long get(long key, Long boxedKey) {
        Long v = map.get(boxedKey);
        return v == null ? MISSING : v;
    }

    @Override
    public void put(long key, long value) {
        map.put(key, value);
    }

    @Override
    public long remove(long key, Long boxedKey) {
        Long v = map.remove(boxedKey);
        return v == null ? MISSING : v;
    }

    @Override
    public long scan(long lo, long hi) {
        return scan(map, lo, hi);
    }

    @Override
    public long scanDescending(long lo, long hi) {
        return scanDescending(map, lo, hi);
    }

    @Override
    public long strided(long lo, long hi, int stride) {
        return strided(map, lo, hi, stride);
    }

    @Override
    public long ceiling(long key) {
        Long k = map.ceilingKey(key);
        return k == null ? MISSING : k;
    }

    @Override
    public long floor(long key) {
        Long k = map.floorKey(key);
        return k == null ? MISSING : k;
    }

    /** {@code subMap(lo, hi).size()}: ConcurrentSkipListMap's sub-map walks the range to count it. */
    @Override
    public long countRange(long lo, long hi) {
        return map.subMap(lo, true, hi, false).size();
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public Object footprintRoot() {
        return map;
    }

    static long scan(NavigableMap<Long, Long> map, long lo, long hi) {
        long acc = 0;
        for (Map.Entry<Long, Long> e : map.subMap(lo, true, hi, true).entrySet()) {
            acc = Keys.mix(acc, e.getKey(), e.getValue());
        }
        return acc;
    }

    static long scanDescending(NavigableMap<Long, Long> map, long lo, long hi) {
        long acc = 0;
        for (Map.Entry<Long, Long> e : map.subMap(lo, true, hi, true).descendingMap().entrySet()) {
            acc = Keys.mix(acc, e.getKey(), e.getValue());
        }
        return acc;
    }

    static long strided(NavigableMap<Long, Long> map, long lo, long hi, int stride) {
        long acc = 0;
        Iterator<Map.Entry<Long, Long>> it = map.subMap(lo, true, hi, true).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Long> e = it.next();
            acc = Keys.mix(acc, e.getKey(), e.getValue());
            for (int s = 1; s < stride && it.hasNext(); s++) {
                it.next();
            }
        }
        return acc;
    }
}
