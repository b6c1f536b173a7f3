package dev.cobtree.bench;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A single-threaded sorted map made shareable the textbook way: every read under the read lock
 * of a {@link ReentrantReadWriteLock}, every write under its write lock. Wraps TreeMap
 * ({@code treeMapRw}) and fastutil's AVL tree ({@code avlRw}).
 */
public final class ReadWriteLockedCandidate extends ObjectCandidate {

    private final ObjectCandidate map;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public ReadWriteLockedCandidate(ObjectCandidate map) {
        this.map = map;
    }

    @Override
    public Object get(long key, Long boxedKey) {
        lock.readLock().lock();
        try {
            return map.get(key, boxedKey);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void put(long key, Object value) {
        lock.writeLock().lock();
        try {
            map.put(key, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Object remove(long key, Long boxedKey) {
        lock.writeLock().lock();
        try {
            return map.remove(key, boxedKey);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long scan(long lo, long hi) {
        lock.readLock().lock();
        try {
            return map.scan(lo, hi);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long size() {
        lock.readLock().lock();
        try {
            return map.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Object footprintRoot() {
        return map.footprintRoot();
    }
}
