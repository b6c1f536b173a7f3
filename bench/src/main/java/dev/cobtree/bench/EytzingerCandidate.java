package dev.cobtree.bench;

/**
 * The lookup limit: the keys in an {@link EytzingerLayout} and their values in the same order.
 * Lookups only (a scan of it is the sorted array's scan, see {@link SortedArrayCandidate}).
 */
public final class EytzingerCandidate extends Candidate {

    private final EytzingerLayout layout;
    private final long[] values;

    public EytzingerCandidate(long[] sortedKeys) {
        this.layout = new EytzingerLayout(sortedKeys);
        this.values = new long[sortedKeys.length + 1];
        for (int node = 1; node <= sortedKeys.length; node++) {
            values[node] = Keys.valueOf(layout.keyAt(node));
        }
    }

    @Override
    public long get(long key, Long boxedKey) {
        int node = layout.lowerBound(key);
        return node != 0 && layout.keyAt(node) == key ? values[node] : MISSING;
    }

    @Override
    public long scan(long lo, long hi) {
        throw new UnsupportedOperationException("the Eytzinger layout is measured for lookups; scans use impl=sortedArray");
    }

    @Override
    public long size() {
        return layout.size();
    }

    @Override
    public Object footprintRoot() {
        return new Object[] {layout, values};
    }
}
