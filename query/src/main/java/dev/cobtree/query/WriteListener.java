package dev.cobtree.query;

/**
 * Told about every write that changed a {@link SecondaryIndex}: called on the writing thread
 * after the pair is in (or out of) the index and before {@code insert}/{@code delete} returns.
 * Must not throw (the write has happened; an exception would only hide that from the caller).
 */
@FunctionalInterface
public interface WriteListener {
    /** A pair with this key was inserted or deleted. */
    void keyWritten(long key);
}
