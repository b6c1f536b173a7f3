package dev.cobtree.bench;

import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** {@code TreeMap<Long,Long>} under a {@link ReentrantReadWriteLock}: the textbook way to share a sorted map. */
public final class LockedTreeMapCandidate extends Candidate {

    private final TreeMap<Long, Long> map = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    public long get(long key, Long boxedKey) {
        lock.readLock().lock();
        try {
            Long v = map.get(boxedKey);
            return v == null ? MISSING : v;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void put(long key, long value) {
        lock.writeLock().lock();
        try {
            map.put(key, value);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long remove(long key, Long boxedKey) {
        lock.writeLock().lock();
        try {
            Long v = map.remove(boxedKey);
            return v == null ? MISSING : v;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public long scan(long lo, long hi) {
        lock.readLock().lock();
        try {
            return NavigableMapCandidate.scan(map, lo, hi);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long scanDescending(long lo, long hi) {
        lock.readLock().lock();
        try {
            return NavigableMapCandidate.scanDescending(map, lo, hi);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long strided(long lo, long hi, int stride) {
        lock.readLock().lock();
        try {
            return NavigableMapCandidate.strided(map, lo, hi, stride);
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
        return map;
    }
}
