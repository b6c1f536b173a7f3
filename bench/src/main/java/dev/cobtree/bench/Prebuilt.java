package dev.cobtree.bench;

/**
 * A structure built once per trial and kept in its heap state for every measured iteration:
 * {@link #current()} is called at the start of each iteration and rebuilds a FRESH structure
 * when a collection has run since it was built (a young collection would have copied its nodes
 * into traversal order, turning "fresh" into "compacted" under the benchmark).
 */
public final class Prebuilt {

    private final String impl;
    private final long[] insertionOrder;
    private final int count;
    private final Candidates.HeapMode mode;
    private Candidate candidate;
    private long collectionsAfterBuild;
    private int rebuilds;

    public Prebuilt(String impl, long[] insertionOrder, int count) {
        this.impl = impl;
        this.insertionOrder = insertionOrder;
        this.count = count;
        this.mode = Candidates.heapMode(impl);
        build();
    }

    private void build() {
        candidate = null;
        if (mode == Candidates.HeapMode.FRESH) {
            HeapState.quiesce();
        }
        long before = HeapState.collections();
        Candidate c = Candidates.build(impl, insertionOrder, count);
        if (mode == Candidates.HeapMode.FRESH && HeapState.collections() != before) {
            System.out.println("WARNING: a collection ran while building " + impl + " (" + count
                    + " entries): part of its nodes were copied into traversal order; give the young generation more room (-Xmn)");
        }
        if (mode == Candidates.HeapMode.COMPACTED) {
            HeapState.compact();
        }
        candidate = c;
        collectionsAfterBuild = HeapState.collections();
    }

    /** The structure, rebuilt first if it is FRESH and a collection may have moved its nodes. */
    public Candidate current() {
        if (mode == Candidates.HeapMode.FRESH && HeapState.collections() != collectionsAfterBuild) {
            rebuilds++;
            System.out.println("(" + impl + ": a collection ran since the build; rebuilt fresh, rebuild #" + rebuilds + ")");
            build();
        }
        return candidate;
    }

    public String impl() {
        return impl;
    }
}
