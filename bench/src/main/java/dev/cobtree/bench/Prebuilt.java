package dev.cobtree.bench;

import java.util.function.Supplier;

/**
 * A structure built once per trial and kept in its heap state for every measured iteration:
 * {@link #current()} is called at the start of each iteration and rebuilds a FRESH structure
 * when a collection has run since it was built (a young collection would have copied its nodes
 * into traversal order, turning "fresh" into "compacted" under the benchmark).
 *
 * @param <C> the candidate family ({@link Candidate} for long values, {@link ObjectCandidate} for object values)
 */
public final class Prebuilt<C> {

    private final String impl;
    private final String size;
    private final Candidates.HeapMode mode;
    private final Supplier<C> builder;
    private C candidate;
    private long collectionsAfterBuild;
    private int rebuilds;

    /** {@code builder} makes the structure; {@code mode} is the heap state it is measured in. */
    public Prebuilt(String impl, Candidates.HeapMode mode, int count, Supplier<C> builder) {
        this.impl = impl;
        this.size = String.valueOf(count);
        this.mode = mode;
        this.builder = builder;
        build();
    }

    /** A long-valued {@code impl} holding the first {@code count} keys of {@code insertionOrder}. */
    public static Prebuilt<Candidate> of(String impl, long[] insertionOrder, int count) {
        return new Prebuilt<>(impl, Candidates.heapMode(impl), count, () -> Candidates.build(impl, insertionOrder, count));
    }

    private void build() {
        candidate = null;
        if (mode == Candidates.HeapMode.FRESH) {
            HeapState.quiesce();
        }
        long before = HeapState.collections();
        C c = builder.get();
        if (mode == Candidates.HeapMode.FRESH && HeapState.collections() != before) {
            System.out.println("WARNING: a collection ran while building " + impl + " (" + size
                    + " entries): part of its nodes were copied into traversal order; give the young generation more room (-Xmn)");
        }
        if (mode == Candidates.HeapMode.COMPACTED) {
            HeapState.compact();
        }
        candidate = c;
        collectionsAfterBuild = HeapState.collections();
    }

    /** The structure, rebuilt first if it is FRESH and a collection may have moved its nodes. */
    public C current() {
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
