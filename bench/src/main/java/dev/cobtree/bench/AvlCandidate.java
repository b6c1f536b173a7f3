package dev.cobtree.bench;

import it.unimi.dsi.fastutil.longs.AbstractLong2LongMap;
import it.unimi.dsi.fastutil.longs.Long2LongAVLTreeMap;
import it.unimi.dsi.fastutil.longs.Long2LongMap;
import it.unimi.dsi.fastutil.objects.ObjectBidirectionalIterator;

/**
 * fastutil's {@link Long2LongAVLTreeMap}: primitive keys and values in AVL nodes, not
 * thread-safe. The single-threaded reference: what a node-based tree costs without boxing.
 */
public final class AvlCandidate extends Candidate {

    private final Long2LongAVLTreeMap map = new Long2LongAVLTreeMap();

    public AvlCandidate() {
        map.defaultReturnValue(MISSING);
    }

    @Override
    public long get(long key, Long boxedKey) {
        return map.get(key);
    }

    @Override
    public void put(long key, long value) {
        map.put(key, value);
    }

    @Override
    public long remove(long key, Long boxedKey) {
        return map.remove(key);
    }

    /** An iterator whose {@code next()} is the first entry with a key &ge; {@code lo}. */
    private ObjectBidirectionalIterator<Long2LongMap.Entry> from(long lo) {
        if (lo == Long.MIN_VALUE) {
            return map.long2LongEntrySet().iterator();
        }
        // iterator(e) starts after e's key: after lo - 1 is at the first key >= lo.
        return map.long2LongEntrySet().iterator(new AbstractLong2LongMap.BasicEntry(lo - 1, 0));
    }

    @Override
    public long scan(long lo, long hi) {
        ObjectBidirectionalIterator<Long2LongMap.Entry> it = from(lo);
        long acc = 0;
        while (it.hasNext()) {
            Long2LongMap.Entry e = it.next();
            long k = e.getLongKey();
            if (k > hi) break;
            acc = Keys.mix(acc, k, e.getLongValue());
        }
        return acc;
    }

    @Override
    public long scanDescending(long lo, long hi) {
        // iterator(e) starts after e's key: previous() is the greatest key <= hi.
        ObjectBidirectionalIterator<Long2LongMap.Entry> it =
                map.long2LongEntrySet().iterator(new AbstractLong2LongMap.BasicEntry(hi, 0));
        long acc = 0;
        while (it.hasPrevious()) {
            Long2LongMap.Entry e = it.previous();
            long k = e.getLongKey();
            if (k < lo) break;
            acc = Keys.mix(acc, k, e.getLongValue());
        }
        return acc;
    }

    @Override
    public long strided(long lo, long hi, int stride) {
        ObjectBidirectionalIterator<Long2LongMap.Entry> it = from(lo);
        long acc = 0;
        while (it.hasNext()) {
            Long2LongMap.Entry e = it.next();
            long k = e.getLongKey();
            if (k > hi) break;
            acc = Keys.mix(acc, k, e.getLongValue());
            it.skip(stride - 1);
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
