package dev.cobtree.bench;

/**
 * One implementation under measurement, behind the operations the benchmarks time. Each
 * benchmark fork uses exactly one candidate class, so every call site here is monomorphic
 * and the JIT inlines through this layer.
 *
 * <p>Boxed maps receive lookup keys already boxed ({@code boxedKey}), so that a lookup
 * allocates nothing; writes box at the call, because the map keeps the boxes (that cost is the
 * map's). Scans fold every visited entry into a checksum with {@link Keys#mix}, the same fold
 * for every candidate, returned to the benchmark's {@code Blackhole}.
 */
public abstract class Candidate {

    /** What {@link #get} and {@link #remove} answer for an absent key. */
    public static final long MISSING = Long.MIN_VALUE;

    /** The value of {@code key}, or {@link #MISSING}. {@code boxedKey} equals {@code key}. */
    public abstract long get(long key, Long boxedKey);

    /** Maps {@code key} to {@code value}. */
    public void put(long key, long value) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is read-only");
    }

    /** Removes {@code key}; returns its value or {@link #MISSING}. */
    public long remove(long key, Long boxedKey) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is read-only");
    }

    /** Checksum of every entry with lo &le; key &le; hi, visited in ascending order. */
    public abstract long scan(long lo, long hi);

    /** Checksum of every entry with lo &le; key &le; hi, visited in descending order. */
    public long scanDescending(long lo, long hi) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no descending scan");
    }

    /** Checksum of every {@code stride}-th entry of [lo, hi] in ascending order, starting with the first. */
    public long strided(long lo, long hi, int stride) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no strided access");
    }

    /** Number of entries. */
    /** The least key &ge; {@code key}, or {@link #MISSING}. */
    public long ceiling(long key) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no ceiling");
    }

    /** The greatest key &le; {@code key}, or {@link #MISSING}. */
    public long floor(long key) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no floor");
    }

    /** Number of keys in {@code [lo, hi)}. */
    public long countRange(long lo, long hi) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no range count");
    }

    public abstract long size();

    /** The object graph that holds the entries (what JOL measures). */
    public abstract Object footprintRoot();
}
