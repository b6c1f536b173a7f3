package dev.cobtree.bench;

import it.unimi.dsi.fastutil.longs.AbstractLong2ObjectMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectAVLTreeMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.objects.ObjectBidirectionalIterator;

/**
 * fastutil's {@link Long2ObjectAVLTreeMap}: primitive keys, object values, AVL nodes, not
 * thread-safe; measured inside a {@link ReadWriteLockedCandidate}.
 */
public final class AvlObjectCandidate extends ObjectCandidate {

    private final Long2ObjectAVLTreeMap<Object> map = new Long2ObjectAVLTreeMap<>();

    @Override
    public Object get(long key, Long boxedKey) {
        return map.get(key);
    }

    @Override
    public void put(long key, Object value) {
        map.put(key, value);
    }

    @Override
    public Object remove(long key, Long boxedKey) {
        return map.remove(key);
    }

    @Override
    public long scan(long lo, long hi) {
        // iterator(e) starts after e's key: after lo - 1 is at the first key >= lo.
        ObjectBidirectionalIterator<Long2ObjectMap.Entry<Object>> it = lo == Long.MIN_VALUE
                ? map.long2ObjectEntrySet().iterator()
                : map.long2ObjectEntrySet().iterator(new AbstractLong2ObjectMap.BasicEntry<>(lo - 1, null));
        long acc = 0;
        while (it.hasNext()) {
            Long2ObjectMap.Entry<Object> e = it.next();
            long k = e.getLongKey();
            if (k > hi) break;
            acc = Keys.mix(acc, k, SharedValues.id(e.getValue()));
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
