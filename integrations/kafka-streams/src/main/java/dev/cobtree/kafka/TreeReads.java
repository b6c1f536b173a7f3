package dev.cobtree.kafka;

import dev.cobtree.core.LongObjectConsumer;
import dev.cobtree.core.LongObjectEntry;
import dev.cobtree.core.LongObjectTree;
import dev.cobtree.core.LongObjectTreeSnapshot;

/**
 * The reads the store makes, over either the live tree (READ_UNCOMMITTED) or the snapshot taken
 * at the last commit point (READ_COMMITTED). Ranges are closed, in tree keys.
 */
interface TreeReads {
    byte[] get(long key);

    long size();

    long countRange(long lo, long hi);

    long rank(long key);

    LongObjectEntry<byte[]> select(long index);

    void forEachInRange(long lo, long hi, LongObjectConsumer<? super byte[]> sink);

    /** A cursor from {@code from} inclusive, ascending or descending. */
    EntryCursor cursor(long from, boolean descending);

    /** One step of a tree or snapshot cursor. */
    interface EntryCursor {
        boolean next();

        long key();

        byte[] value();
    }

    static TreeReads live(LongObjectTree<byte[]> t) {
        return new TreeReads() {
            @Override
            public byte[] get(long key) {
                return t.get(key);
            }

            @Override
            public long size() {
                return t.size();
            }

            @Override
            public long countRange(long lo, long hi) {
                return t.countRange(lo, true, hi, true);
            }

            @Override
            public long rank(long key) {
                return t.rank(key);
            }

            @Override
            public LongObjectEntry<byte[]> select(long index) {
                return t.select(index);
            }

            @Override
            public void forEachInRange(long lo, long hi, LongObjectConsumer<? super byte[]> sink) {
                t.forEachInRange(lo, true, hi, true, sink);
            }

            @Override
            public EntryCursor cursor(long from, boolean descending) {
                LongObjectTree.Cursor<byte[]> c = descending ? t.descendingCursor(from, true) : t.cursor(from, true);
                return new EntryCursor() {
                    @Override
                    public boolean next() {
                        return c.next();
                    }

                    @Override
                    public long key() {
                        return c.key();
                    }

                    @Override
                    public byte[] value() {
                        return c.value();
                    }
                };
            }
        };
    }

    static TreeReads snapshot(LongObjectTreeSnapshot<byte[]> s) {
        return new TreeReads() {
            @Override
            public byte[] get(long key) {
                return s.get(key);
            }

            @Override
            public long size() {
                return s.size();
            }

            @Override
            public long countRange(long lo, long hi) {
                return s.countRange(lo, true, hi, true);
            }

            @Override
            public long rank(long key) {
                return s.rank(key);
            }

            @Override
            public LongObjectEntry<byte[]> select(long index) {
                return s.select(index);
            }

            @Override
            public void forEachInRange(long lo, long hi, LongObjectConsumer<? super byte[]> sink) {
                s.forEachInRange(lo, true, hi, true, sink);
            }

            @Override
            public EntryCursor cursor(long from, boolean descending) {
                LongObjectTreeSnapshot.Cursor<byte[]> c = descending ? s.descendingCursor(from, true) : s.cursor(from, true);
                return new EntryCursor() {
                    @Override
                    public boolean next() {
                        return c.next();
                    }

                    @Override
                    public long key() {
                        return c.key();
                    }

                    @Override
                    public byte[] value() {
                        return c.value();
                    }
                };
            }
        };
    }
}
