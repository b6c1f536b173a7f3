package dev.cobtree.bench;

/**
 * One object-valued implementation under measurement ({@code Long -> Object} maps, issue 12),
 * behind the operations {@link ValuesBench} times: the counterpart of {@link Candidate} for
 * object values. Each fork uses exactly one candidate class, so the calls here are monomorphic.
 *
 * <p>Values are the shared objects of {@link SharedValues}. Boxed maps receive lookup keys
 * already boxed ({@code boxedKey}), so that a lookup allocates nothing; puts box at the call (the
 * map keeps the box: that cost is the map's). A scan folds each entry's key and value id into a
 * checksum with {@link Keys#mix}, the same fold for every candidate.
 */
public abstract class ObjectCandidate {

    /** The value of {@code key}, or {@code null}. {@code boxedKey} equals {@code key}. */
    public abstract Object get(long key, Long boxedKey);

    /** Maps {@code key} to {@code value}. */
    public abstract void put(long key, Object value);

    /** Removes {@code key}; returns its value or {@code null}. */
    public abstract Object remove(long key, Long boxedKey);

    /** Checksum of every entry with lo &le; key &le; hi, visited in ascending order. */
    public abstract long scan(long lo, long hi);

    /** Number of entries. */
    public abstract long size();

    /** The object graph that holds the entries (what JOL measures, value objects included). */
    public abstract Object footprintRoot();
}
