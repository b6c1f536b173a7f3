package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.KeyValue;
import dev.cobtree.core.LongObjectTree;
import org.roaringbitmap.ArrayContainer;
import org.roaringbitmap.Container;
import org.roaringbitmap.ContainerPointer;
import org.roaringbitmap.RoaringBitmap;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The adaptive form of a {@link SecondaryIndex}: a key with few row ids keeps one composite
 * {@code (key << b) | rowId} entry per row in the index's {@link CobTree} (its <em>pairs</em>);
 * a key that reaches {@code promoteAt} rows is <em>promoted</em>: its rows move into one
 * {@link RoaringBitmap} value of a {@link LongObjectTree} (its <em>bitmap</em>); a bitmap that
 * falls below {@code demoteBelow} rows is <em>demoted</em> back to pairs (an emptied bitmap is
 * simply removed). Writes of a promoted key copy only the container of the row they change (see {@link #copyWith}). The gap between the two thresholds (hysteresis) keeps a key that hovers around
 * one threshold from moving back and forth.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>one-form</b>: outside a move, each key's rows are either all pairs or all one bitmap.</li>
 *   <li><b>published-bitmaps-are-frozen</b>: a bitmap reachable from the tree is never modified.
 *       A write to a promoted key clones the bitmap, changes the clone and puts the clone
 *       (copy-on-write); the tree's put is a release store of the reference under the cell's
 *       seqlock, so a reader that loads the reference sees the whole clone. Readers may thus read
 *       a bitmap (contains, or, cardinality) with no lock while writers replace it.</li>
 * </ul>
 *
 * <h2>Writers</h2>
 * Every write of a key (insert, delete, and the moves they trigger) runs under the key's stripe
 * lock ({@value #STRIPES} stripes by a hash of the key), so the writes of one key are serial: the
 * read-clone-put of a bitmap cannot lose a concurrent update, and no pair is inserted while its
 * key's rows are being moved. Writers of keys in different stripes never wait for each other;
 * readers never lock.
 *
 * <h2>Readers and moves: a sequence lock over form changes</h2>
 * A move is not atomic: promotion puts the bitmap, then removes the pairs one by one; demotion
 * inserts the pairs, then removes the bitmap. A reader that scans the pairs and the bitmaps at
 * different moments could see a moving key twice (a double count) or, during a demotion, not at
 * all (pairs read before they were inserted, bitmap read after it was removed). So moves are
 * bracketed by two counters: {@code started} is incremented before a move, {@code finished}
 * after it. A reader takes a stamp ({@link #beginRead}: reads {@code finished}, then
 * {@code started}, and waits while they differ, i.e. while a move is in progress), scans, and
 * {@link #validate}s that {@code started} still equals the stamp (after an acquire fence, so its
 * scan reads are ordered before that load, as {@code StampedLock.validate} does); if a move began
 * meanwhile it scans again. Reading {@code finished} before {@code started} and finding them equal
 * means no move was in progress at the first read and none began before the second; with the
 * validation, no move overlapped the scan, so every key was in one form throughout it (one-form)
 * and the scan is as exact as a scan of the pairs alone: each row present for the whole scan is
 * reported once, none absent for the whole scan is. Moves are rare (a key must gain
 * {@code promoteAt} rows, or lose {@code promoteAt - demoteBelow}, between two of them) and short
 * (at most {@code promoteAt} pair writes), so readers seldom scan twice.
 */
final class BitmapKeys {

    static final int STRIPES = 256;

    final LongObjectTree<RoaringBitmap> bitmaps = new LongObjectTree<>();
    final int promoteAt;
    final int demoteBelow;
    private final CobTree pairs;
    private final int bits;
    private final Object[] stripes = new Object[STRIPES];
    private final AtomicLong started = new AtomicLong();  // moves begun
    private final AtomicLong finished = new AtomicLong(); // moves ended

    BitmapKeys(CobTree pairs, int bits, int promoteAt) {
        this.pairs = pairs;
        this.bits = bits;
        this.promoteAt = promoteAt;
        this.demoteBelow = Math.max(1, promoteAt / 4);
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
    }

    private Object stripe(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return stripes[(int) (h >>> 56) & (STRIPES - 1)];
    }

    private long lo(long key) {
        return key << bits;
    }

    private long hi(long key) {
        return (key << bits) | ((1L << bits) - 1);
    }

    // ---- writes (under the key's stripe) --------------------------------------------------------

    /** Adds the row to the key (composite {@code c}); true if it was not there. */
    boolean insert(long key, long rowId, long c) {
        synchronized (stripe(key)) {
            RoaringBitmap b = bitmaps.get(key);
            if (b != null) {
                if (b.contains((int) rowId)) return false;
                bitmaps.put(key, copyWith(b, (int) rowId, true));
                return true;
            }
            if (pairs.putIfAbsent(c, rowId, (KeyValue) null)) return false;
            if (pairs.countRange(lo(key), true, hi(key), true) >= promoteAt) promote(key);
            return true;
        }
    }

    /** Removes the row from the key; true if it was there. */
    boolean delete(long key, long rowId, long c) {
        synchronized (stripe(key)) {
            RoaringBitmap b = bitmaps.get(key);
            if (b == null) return pairs.remove(c, (KeyValue) null);
            if (!b.contains((int) rowId)) return false;
            if (b.getCardinality() == 1) {
                bitmaps.remove(key); // empty: no rows to move
                return true;
            }
            RoaringBitmap next = copyWith(b, (int) rowId, false);
            if (next.getCardinality() < demoteBelow) {
                demote(key, next);
            } else {
                bitmaps.put(key, next);
            }
            return true;
        }
    }

    /**
     * A new bitmap: {@code b} with {@code row} added (absent in b) or removed (present in b). Only
     * the row's container is copied; the others are shared with {@code b}, which is safe because
     * no container of a published bitmap is ever modified (a reader's {@code or} only modifies its
     * own result and copies the containers it takes from its argument).
     */
    static RoaringBitmap copyWith(RoaringBitmap b, int row, boolean add) {
        char high = (char) (row >>> 16);
        char low = (char) row;
        RoaringBitmap next = new RoaringBitmap();
        boolean placed = false;
        for (ContainerPointer p = b.getContainerPointer(); p.getContainer() != null; p.advance()) {
            char k = p.key();
            Container c = p.getContainer();
            if (add && !placed && k > high) { // the row opens a new container before this one
                next.append(high, new ArrayContainer().add(low));
                placed = true;
            }
            if (k == high) {
                c = add ? c.clone().add(low) : c.clone().remove(low);
                placed = true;
                if (c.isEmpty()) continue;
            }
            next.append(k, c);
        }
        if (add && !placed) next.append(high, new ArrayContainer().add(low));
        return next;
    }

    /** Under the stripe: the key's pairs become one bitmap (put first, then the pairs removed). */
    private void promote(long key) {
        started.incrementAndGet(); // volatile RMW: readers stamped before this will fail validation
        try {
            RoaringBitmap b = new RoaringBitmap();
            pairs.forEachInRange(lo(key), true, hi(key), true, (k, rowId) -> b.add((int) rowId));
            bitmaps.put(key, b);
            for (int row : b) pairs.remove(lo(key) | Integer.toUnsignedLong(row), (KeyValue) null);
        } finally {
            finished.incrementAndGet();
        }
    }

    /** Under the stripe: the key's rows ({@code rest}, not yet published) become pairs (inserted first, then the bitmap removed). */
    private void demote(long key, RoaringBitmap rest) {
        started.incrementAndGet();
        try {
            for (int row : rest) {
                long r = Integer.toUnsignedLong(row);
                pairs.putIfAbsent(lo(key) | r, r, (KeyValue) null);
            }
            bitmaps.remove(key);
        } finally {
            finished.incrementAndGet();
        }
    }

    /** {@code body.get()} while every key stripe is held: no write and no move is in progress. */
    <T> T underAllStripes(java.util.function.Supplier<T> body) {
        return Stripes.holdingAll(stripes, body);
    }

    // ---- readers ----------------------------------------------------------------------------------

    /** A stamp taken when no move is in progress (waits while one is). */
    long beginRead() {
        for (int spins = 0; ; ) {
            long f = finished.get(); // volatile: first, so f == s means no move was in progress here
            long s = started.get();
            if (f == s) return s;
            if (++spins < 64) Thread.onSpinWait();
            else Thread.yield(); // the mover may be descheduled: give it the core
        }
    }

    /** True if no move began since {@code stamp} was taken. */
    boolean validate(long stamp) {
        VarHandle.acquireFence(); // orders the scan's loads before the load of started
        return started.get() == stamp;
    }

    boolean contains(long key, long rowId) {
        RoaringBitmap b = bitmaps.get(key);
        return b != null && b.contains((int) rowId);
    }

    /** Moves so far (tests, stats). */
    long moves() {
        return finished.get();
    }
}
