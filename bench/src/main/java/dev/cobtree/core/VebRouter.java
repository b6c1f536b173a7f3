package dev.cobtree.core;

/**
 * Bench-only access to index-core's package-private {@link VebLayout}, so that the search-layout
 * benchmark measures the engine's own vEB tree rather than a copy of it. It lives in package
 * {@code dev.cobtree.core} inside the bench module (a split package, fine on the class path and
 * in the shaded benchmarks jar); if index-core makes a layout class public, use that instead.
 */
public final class VebRouter {

    private final VebLayout layout;

    /**
     * A vEB tree over {@code fences.length} segments, segment j starting at {@code fences[j]}.
     * @param fences strictly increasing
     */
    public VebRouter(long[] fences) {
        if (fences.length == 0) {
            throw new IllegalArgumentException("a search tree needs at least one fence");
        }
        this.layout = new VebLayout(fences.length);
        for (int j = 1; j < fences.length; j++) {
            layout.setFenceUnpublished(j, fences[j]);
        }
    }

    /** The segment the tree routes {@code key} to: the greatest j with fences[j] &le; key, 0 below fences[1]. */
    public int segmentOf(long key) {
        return layout.find(key);
    }

    public long memoryBytes() {
        return layout.memoryBytes();
    }
}
