package dev.cobtree.query;

/**
 * Told about every write that changed a {@link SecondaryIndex}: called on the writing thread
 * after the pair is in (or out of) the index, after every {@link FilterCache} over the index
 * dropped the ranges the write touched, and before {@code insert}/{@code delete} returns.
 * Should not throw: the write has happened. If listeners do throw, every other listener still
 * runs and the write then throws the first exception, the later ones suppressed in it.
 */
@FunctionalInterface
public interface WriteListener {
    /** A pair with this key was inserted or deleted. */
    void keyWritten(long key);
}
