package dev.cobtree.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A per-thread position in a lookup stream: the next index costs an increment and a mask. */
@State(Scope.Thread)
public class StreamIndex {
    private int i;

    /** The next position in a stream of {@link Keys#STREAM} entries. */
    public int next() {
        return i++ & Keys.STREAM_MASK;
    }
}
