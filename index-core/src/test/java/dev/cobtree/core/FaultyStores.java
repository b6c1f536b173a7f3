package dev.cobtree.core;

import dev.cobtree.storage.CellStore;
import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.HeapCellStoreFactory;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A heap cell store factory for failure-injection tests: its stores delegate to heap stores and
 * throw {@link InjectedFault} on the n-th key store after {@link #armKeyStores} (optionally only
 * when the store is written from a given class), or on the n-th bulk cell write of the next store
 * created after {@link #armNextBuild}. It counts stores created and handed back, and keeps only
 * weak references to them, so a test can see both leaks and what is still reachable.
 */
final class FaultyStores implements CellStoreFactory {

    /** The failure the stores throw, standing for an I/O fault of a mapped store or an Error mid-write. */
    static final class InjectedFault extends RuntimeException {
        InjectedFault(String what) {
            super("injected fault: " + what);
        }
    }

    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger handedBack = new AtomicInteger();
    final List<WeakReference<CellStore>> stores = new ArrayList<>();
    private volatile int keyStoresLeft = -1;
    private volatile String onlyFrom;
    private volatile int buildWritesLeft = -1;

    /** The n-th key store from now (n &ge; 1) throws; with {@code onlyFrom}, only stores made from that class count. */
    void armKeyStores(int n, String onlyFrom) {
        this.onlyFrom = onlyFrom;
        this.keyStoresLeft = n;
    }

    /** The next store created throws on its n-th bulk (build) cell write. */
    void armNextBuild(int n) {
        this.buildWritesLeft = n;
    }

    /** Stores created and not yet retired or closed. */
    int outstanding() {
        return created.get() - handedBack.get();
    }

    @Override
    public CellStore create(long segments, int segmentSize) {
        CellStore heap = HeapCellStoreFactory.INSTANCE.create(segments, segmentSize);
        int buildFault = buildWritesLeft;
        buildWritesLeft = -1;
        created.incrementAndGet();
        Faulty store = new Faulty(heap, buildFault);
        synchronized (stores) {
            stores.add(new WeakReference<>(store));
        }
        return store;
    }

    @Override
    public void retire(CellStore store) {
        handedBack.incrementAndGet();
    }

    @Override
    public long pin() {
        return 0;
    }

    @Override
    public void unpin(long ticket) {
    }

    @Override
    public void close(CellStore live, long entryCount) {
        if (live != null) {
            handedBack.incrementAndGet();
        }
    }

    private boolean keyStoreFails() {
        if (keyStoresLeft <= 0) {
            return false;
        }
        String from = onlyFrom;
        if (from != null && StackWalker.getInstance().walk(f -> f.noneMatch(x -> x.getClassName().equals(from)))) {
            return false;
        }
        return --keyStoresLeft == 0;
    }

    private final class Faulty implements CellStore {
        private final CellStore d;
        private int buildWritesLeft;

        Faulty(CellStore d, int buildWritesLeft) {
            this.d = d;
            this.buildWritesLeft = buildWritesLeft;
        }

        @Override public long capacity() { return d.capacity(); }
        @Override public int segmentSize() { return d.segmentSize(); }
        @Override public long metaAcquire(long c) { return d.metaAcquire(c); }
        @Override public long metaOpaque(long c) { return d.metaOpaque(c); }
        @Override public long metaPlain(long c) { return d.metaPlain(c); }
        @Override public void metaRelease(long c, long m) { d.metaRelease(c, m); }
        @Override public void metaOpaque(long c, long m) { d.metaOpaque(c, m); }
        @Override public boolean metaCompareAndSet(long c, long e, long u) { return d.metaCompareAndSet(c, e, u); }
        @Override public long keyOpaque(long c) { return d.keyOpaque(c); }
        @Override public long valueOpaque(long c) { return d.valueOpaque(c); }
        @Override public long keyPlain(long c) { return d.keyPlain(c); }
        @Override public long valuePlain(long c) { return d.valuePlain(c); }
        @Override public void valueOpaque(long c, long v) { d.valueOpaque(c, v); }
        @Override public boolean isOpen() { return d.isOpen(); }
        @Override public long memoryBytes() { return d.memoryBytes(); }
        @Override public void close() { d.close(); }
        @Override public dev.cobtree.storage.CellLayout layout() { return d.layout(); }
        @Override public void copyEntries(long from, int n, long[] keys, long[] values, int at) { d.copyEntries(from, n, keys, values, at); }

        @Override
        public void keyOpaque(long c, long key) {
            if (keyStoreFails()) {
                throw new InjectedFault("key store to cell " + c);
            }
            d.keyOpaque(c, key);
        }

        @Override
        public void setPlain(long c, long meta, long key, long value) {
            if (buildWritesLeft > 0 && --buildWritesLeft == 0) {
                throw new InjectedFault("bulk write of cell " + c);
            }
            d.setPlain(c, meta, key, value);
        }
    }
}
