package dev.cobtree.kafka;

import dev.cobtree.core.LongObjectCursor;
import dev.cobtree.core.LongObjectReads;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.NoSuchElementException;

/**
 * A {@code KeyValueIterator} over a range of the tree, ascending or descending: a tree cursor
 * that stops at the far bound, with one entry looked ahead for {@code peekNextKey}. Weakly
 * consistent, as the cursor (keys strictly monotone; entries present throughout are returned;
 * concurrent writes may or may not be seen). Kafka's in-memory store copies the range's keys up
 * front instead; this one reads them as it goes. Over a committed snapshot (READ_COMMITTED) it is
 * exact for the commit point and holds a reference to the snapshot until it is closed or
 * exhausted. Not thread-safe. Closing the store closes it.
 */
final class TreeIterator implements KeyValueIterator<Bytes, byte[]> {
    private final CobTreeKeyValueStore store;
    private final LongObjectCursor<byte[]> cursor;
    /** Releases what the iterator holds (a committed snapshot's reference); run once. */
    private Runnable release;
    private KeyValue<Bytes, byte[]> next;
    private boolean exhausted;
    private volatile boolean closed;

    TreeIterator(CobTreeKeyValueStore store, LongObjectReads<byte[]> reads, TreeRange range, boolean descending, Runnable release) {
        this.store = store;
        this.release = release;
        if (range.isEmpty()) {
            this.cursor = null;
            this.exhausted = true;
        } else {
            // bounded: a short range query reads about the entries it returns, not a batch beyond them
            this.cursor = descending ? reads.descendingCursor(range.hi(), true, range.lo(), true) : reads.cursor(range.lo(), true, range.hi(), true);
        }
        if (exhausted) {
            releaseOnce();
        }
    }

    @Override
    public boolean hasNext() {
        checkOpen();
        if (next != null) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        long k;
        byte[] v;
        try {
            if (!cursor.next()) {
                exhausted = true;
                releaseOnce();
                return false;
            }
            k = cursor.key();
            v = cursor.value();
        } catch (IllegalStateException e) { // the store (and its tree) closed between checkOpen and the step
            throw store.closedUnder(e);
        }
        next = KeyValue.pair(KeyCodec.storeKey(k), v);
        return true;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<Bytes, byte[]> kv = next;
        next = null;
        return kv;
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next.key;
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidStateStoreException("this iterator of store " + store.name() + " is closed");
        }
        store.checkOpen();
    }

    /** Called by the store when it closes (the iterator then fails on use). */
    void invalidate() {
        closed = true;
        releaseOnce();
    }

    @Override
    public void close() {
        closed = true;
        releaseOnce();
        store.forget(this);
    }

    private synchronized void releaseOnce() {
        Runnable r = release;
        if (r != null) {
            release = null;
            r.run();
        }
    }
}
