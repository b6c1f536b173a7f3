package dev.cobtree.bench;

import java.util.Map;
import java.util.NavigableMap;

/**
 * A {@code NavigableMap<Long,Object>} used as it is: ConcurrentSkipListMap (fresh or compacted),
 * or TreeMap inside a {@link ReadWriteLockedCandidate}. Scans iterate the entry set of a sub-map
 * view, as a user of the Map API would.
 */
public final class ObjectMapCandidate extends ObjectCandidate {

    private final NavigableMap<Long, Object> map;

    public ObjectMapCandidate(NavigableMap<Long, Object> map) {
        this.map = map;
    }

    @Override
    public Object get(long key, Long boxedKey) {
        return map.get(boxedKey);
    }

    @Override
    public void put(long key, Object value) {
        map.put(key, value);
    }

    @Override
    public Object remove(long key, Long boxedKey) {
        return map.remove(boxedKey);
    }

    @Override
    public long scan(long lo, long hi) {
        long acc = 0;
        for (Map.Entry<Long, Object> e : map.subMap(lo, true, hi, true).entrySet()) {
            acc = Keys.mix(acc, e.getKey(), SharedValues.id(e.getValue()));
        }
        return acc;
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public Object footprintRoot() {
        return map;
    }
}
