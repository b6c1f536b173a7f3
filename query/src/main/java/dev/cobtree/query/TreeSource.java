package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.KeyValue;
import dev.cobtree.core.LongLongConsumer;

import java.util.Objects;

/**
 * What the query layer reads from a {@code long -> long} tree: a live {@link CobTree} (weakly
 * consistent reads) or a {@link CobTreeSnapshot} (every read exact for the snapshot's instant).
 * The scans, lookups, counts and index reads are written once against this interface, so a query
 * over a snapshot runs the same code as over the live tree; only the source differs.
 */
interface TreeSource {

    long get(long key, long absent);

    boolean get(long key, KeyValue out);

    boolean containsKey(long key);

    void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongLongConsumer sink);

    long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive);

    long rank(long key);

    boolean select(long index, KeyValue out);

    long size();

    /** An ascending cursor from {@code from}. */
    Cursor cursor(long from, boolean inclusive);

    /** A descending cursor from {@code from}. */
    Cursor descendingCursor(long from, boolean inclusive);

    /** @throws IllegalStateException naming the source if it is closed */
    void checkOpen();

    /** The cursor calls the query layer makes (see {@link CobTree.Cursor}). */
    interface Cursor {
        boolean next();

        long key();

        long value();

        long skip(long n);

        /** As {@link CobTree.Cursor#read}: up to {@code len} entries not beyond {@code last}; fewer means done. */
        int read(long[] keys, long[] values, int off, int len, long last);
    }

    static TreeSource of(CobTree tree) {
        return new Live(Objects.requireNonNull(tree, "tree"));
    }

    static TreeSource of(CobTreeSnapshot snapshot) {
        return new Frozen(Objects.requireNonNull(snapshot, "snapshot"));
    }

    /* ---- the live tree ---- */

    record Live(CobTree tree) implements TreeSource {
        public long get(long key, long absent) { return tree.get(key, absent); }
        public boolean get(long key, KeyValue out) { return tree.get(key, out); }
        public boolean containsKey(long key) { return tree.containsKey(key); }
        public void forEachInRange(long lo, boolean li, long hi, boolean hiIn, LongLongConsumer sink) { tree.forEachInRange(lo, li, hi, hiIn, sink); }
        public long countRange(long lo, boolean li, long hi, boolean hiIn) { return tree.countRange(lo, li, hi, hiIn); }
        public long rank(long key) { return tree.rank(key); }
        public boolean select(long index, KeyValue out) { return tree.select(index, out); }
        public long size() { return tree.size(); }

        public Cursor cursor(long from, boolean inclusive) {
            return new LiveCursor(tree.cursor(from, inclusive));
        }

        public Cursor descendingCursor(long from, boolean inclusive) {
            return new LiveCursor(tree.descendingCursor(from, inclusive));
        }

        public void checkOpen() {
            if (tree.isClosed()) throw new IllegalStateException("CobTree is closed");
        }
    }

    record LiveCursor(CobTree.Cursor c) implements Cursor {
        public boolean next() { return c.next(); }
        public long key() { return c.key(); }
        public long value() { return c.value(); }
        public long skip(long n) { return c.skip(n); }
        public int read(long[] keys, long[] values, int off, int len, long last) { return c.read(keys, values, off, len, last); }
    }

    /* ---- a snapshot ---- */

    record Frozen(CobTreeSnapshot snap) implements TreeSource {
        public long get(long key, long absent) { return snap.get(key, absent); }
        public boolean get(long key, KeyValue out) { return snap.get(key, out); }
        public boolean containsKey(long key) { return snap.containsKey(key); }
        public void forEachInRange(long lo, boolean li, long hi, boolean hiIn, LongLongConsumer sink) { snap.forEachInRange(lo, li, hi, hiIn, sink); }
        public long countRange(long lo, boolean li, long hi, boolean hiIn) { return snap.countRange(lo, li, hi, hiIn); }
        public long rank(long key) { return snap.rank(key); }
        public boolean select(long index, KeyValue out) { return snap.select(index, out); }
        public long size() { return snap.size(); }

        public Cursor cursor(long from, boolean inclusive) {
            return new FrozenCursor(snap.cursor(from, inclusive), false);
        }

        public Cursor descendingCursor(long from, boolean inclusive) {
            return new FrozenCursor(snap.descendingCursor(from, inclusive), true);
        }

        public void checkOpen() {
            if (snap.isClosed()) throw new IllegalStateException("CobTreeSnapshot is closed");
        }
    }

    /** A snapshot cursor; {@link #read} goes entry by entry (the snapshot cursor has no bulk read). */
    record FrozenCursor(CobTreeSnapshot.Cursor c, boolean descending) implements Cursor {
        public boolean next() { return c.next(); }
        public long key() { return c.key(); }
        public long value() { return c.value(); }
        public long skip(long n) { return c.skip(n); }

        public int read(long[] keys, long[] values, int off, int len, long last) {
            if (keys != null) Objects.checkFromIndexSize(off, len, keys.length);
            if (values != null) Objects.checkFromIndexSize(off, len, values.length);
            int n = 0;
            while (n < len && c.next()) {
                long k = c.key();
                if (descending ? k < last : k > last) break; // beyond the end: the caller stops for good
                if (keys != null) keys[off + n] = k;
                if (values != null) values[off + n] = c.value();
                n++;
            }
            return n;
        }
    }
}
