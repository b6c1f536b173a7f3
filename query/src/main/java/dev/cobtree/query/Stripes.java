package dev.cobtree.query;

import java.util.function.Supplier;

/**
 * Runs a body while holding every monitor of a stripe array: the way the query layer excludes
 * all writers of an index (each write holds one stripe for its whole length) for the few
 * microseconds it takes to snapshot the index's trees. Monitors are taken in array order, so two
 * such bodies never deadlock with each other, and a writer holds one stripe only, so none
 * deadlocks with them.
 */
final class Stripes {

    private Stripes() {
    }

    /** {@code body.get()} with every monitor of {@code stripes} held. */
    static <T> T holdingAll(Object[] stripes, Supplier<T> body) {
        return holding(stripes, 0, body);
    }

    private static <T> T holding(Object[] stripes, int i, Supplier<T> body) {
        if (i == stripes.length) return body.get();
        synchronized (stripes[i]) { // nested: depth = number of stripes (at most 256)
            return holding(stripes, i + 1, body);
        }
    }
}
