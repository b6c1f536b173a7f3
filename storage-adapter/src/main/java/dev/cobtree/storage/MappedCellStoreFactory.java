package dev.cobtree.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes {@link MappedCellStore}s in one index directory: every store is a file
 * {@code cells-<generation>.cob}, a resize makes the next generation, and a retired generation
 * is unmapped and deleted once no pinned reader can touch it (through an {@link EpochReclaimer}).
 *
 * <h2>Reopening</h2>
 * {@link #close(CellStore, long)} persists the live store (forces the cells, writes the entry
 * count, the cells' CRC32C and the clean flag) and deletes every other generation, so a cleanly
 * closed directory holds one file. {@link #recover()} opens the newest generation, and only
 * that one: an older file is always stale (the newest one superseded it), even when it says
 * clean. The newest file must pass every check or {@link CorruptIndexException} says why and
 * what to do; the store is never returned then.
 *
 * <h2>Ownership</h2>
 * One factory per directory at a time: the factory holds an exclusive lock on
 * {@code cobtree.lock} in the directory until it is closed (another process or index gets
 * {@link IllegalStateException}). A process that dies releases the lock with it.
 */
public final class MappedCellStoreFactory implements CellStoreFactory {

    private static final Logger LOG = LoggerFactory.getLogger(MappedCellStoreFactory.class);

    /** The lock file of an index directory. */
    public static final String LOCK_FILE = "cobtree.lock";

    private static final Pattern CELL_FILE = Pattern.compile("cells-(\\d{1,18})\\.cob");

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final EpochReclaimer reclaimer;

    /** Stores made or recovered and not retired. Guarded by {@code this}. */
    private final Set<MappedCellStore> stores = new HashSet<>();
    private long nextGeneration;
    private boolean started;
    private boolean closed;

    /**
     * A factory for the index directory {@code dir} (created if missing).
     *
     * @throws IllegalStateException if another factory (in this or another process) has the directory
     * @throws UncheckedIOException  if the directory cannot be created or locked
     */
    public MappedCellStoreFactory(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        try {
            Files.createDirectories(this.dir);
            this.lockChannel = FileChannel.open(this.dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the index directory " + this.dir + ": " + e.getMessage(), e);
        }
        this.lock = lockDirectory(lockChannel, this.dir);
        this.nextGeneration = newestGeneration(this.dir) + 1;
        this.reclaimer = new EpochReclaimer(s -> ((MappedCellStore) s).discard());
    }

    private static FileLock lockDirectory(FileChannel ch, Path dir) {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("cannot lock the index directory " + dir + ": " + e.getMessage(), e);
        }
        if (l == null) {
            closeQuietly(ch);
            throw new IllegalStateException("index directory " + dir + " is in use by another open index (this process or another): "
                    + "close that index first");
        }
        return l;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** The cell files of {@code dir} (any generation), oldest first. */
    static List<Path> cellFiles(Path dir) {
        List<long[]> gens = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "cells-*.cob")) {
            for (Path p : ds) {
                Matcher m = CELL_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    gens.add(new long[] {Long.parseLong(m.group(1)), files.size()});
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the index directory " + dir + ": " + e.getMessage(), e);
        }
        gens.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Path> sorted = new ArrayList<>(files.size());
        for (long[] g : gens) {
            sorted.add(files.get((int) g[1]));
        }
        return sorted;
    }

    private static long generationOf(Path file) {
        Matcher m = CELL_FILE.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + " is not a cell file");
        }
        return Long.parseLong(m.group(1));
    }

    private static long newestGeneration(Path dir) {
        List<Path> files = cellFiles(dir);
        return files.isEmpty() ? 0 : generationOf(files.get(files.size() - 1));
    }

    /**
     * Deletes every cell file of {@code dir} (to start an index over after
     * {@link CorruptIndexException}). Checkpoints and other files are left alone.
     *
     * @throws IllegalStateException if an open index uses the directory
     */
    public static void deleteCellFiles(Path dir) {
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir)) {
            for (Path p : cellFiles(f.dir)) {
                Files.deleteIfExists(p);
            }
            DirectorySync.fsync(f.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the cell files of " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The index directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public synchronized CellStore create(long segments, int segmentSize) {
        requireOpen();
        if (segments < 1) {
            throw new IllegalArgumentException("segments " + segments + " must be positive");
        }
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segmentSize " + segmentSize + " must be positive");
        }
        long capacity = Math.multiplyExact(segments, (long) segmentSize);
        long gen = nextGeneration++;
        MappedCellStore s = MappedCellStore.create(dir.resolve("cells-" + gen + ".cob"), gen, capacity, segmentSize);
        DirectorySync.fsync(dir); // the new generation's name is durable before its cells are written
        stores.add(s);
        started = true;
        return s;
    }

    /**
     * The store persisted by the last clean close of this directory, checked completely (header,
     * length, body checksum) and marked not clean again before it is returned; {@code null} if the
     * directory holds no cell file. Call it before {@link #create} (once per factory).
     *
     * @throws CorruptIndexException if the newest cell file is not a clean, intact, compatible file
     * @throws IllegalStateException if this factory has already made or recovered a store
     */
    @Override
    public synchronized CellStore recover() {
        requireOpen();
        if (started) {
            throw new IllegalStateException("recover() must come before any create() or recover() of this factory");
        }
        List<Path> files = cellFiles(dir);
        if (files.isEmpty()) {
            return null;
        }
        MappedCellStore s = MappedCellStore.open(files.get(files.size() - 1));
        stores.add(s);
        started = true;
        return s;
    }

    @Override
    public void retire(CellStore store) {
        Objects.requireNonNull(store, "store");
        synchronized (this) {
            if (!(store instanceof MappedCellStore m) || !stores.remove(m)) {
                throw new IllegalArgumentException(store + " is not a live store of this factory");
            }
        }
        reclaimer.retire(store);
    }

    @Override
    public long pin() {
        return reclaimer.pin();
    }

    @Override
    public void unpin(long ticket) {
        reclaimer.unpin(ticket);
    }

    /** The reclaimer behind {@link #pin()} and {@link #retire}, for observation. */
    public EpochReclaimer reclaimer() {
        return reclaimer;
    }

    /**
     * Closes the index directory. With a {@code live} store of this factory, persists it with
     * {@code entryCount} so that {@link #recover()} of a later factory returns it; every other
     * generation is deleted first. With {@code null}, nothing is persisted and no file but the
     * retired ones is deleted: the newest file stays marked not clean, so a later {@link #recover()}
     * refuses it. Releases every store and the directory lock. Idempotent.
     *
     * @throws IllegalArgumentException if {@code live} is not a live store of this factory
     */
    @Override
    public synchronized void close(CellStore live, long entryCount) {
        if (closed) {
            return;
        }
        if (live != null && (!(live instanceof MappedCellStore m) || !stores.contains(m) || !m.isOpen())) {
            throw new IllegalArgumentException(live + " is not a live store of this factory");
        }
        if (live != null && (entryCount < 0 || entryCount > live.capacity())) {
            throw new IllegalArgumentException("entryCount " + entryCount + " outside [0, " + live.capacity() + "]");
        }
        closed = true;
        try {
            // the index has published its closed root: let readers still inside any store finish
            reclaimer.awaitReaders(OffHeapCellStoreFactory.CLOSE_WAIT_NANOS);
            reclaimer.close(); // retired generations: unmapped and deleted
            if (live != null) {
                MappedCellStore m = (MappedCellStore) live;
                for (MappedCellStore s : stores) {
                    if (s != live) {
                        s.discard(); // made but never published or retired: garbage
                    }
                }
                for (Path p : cellFiles(dir)) {
                    if (!p.equals(m.file())) {
                        Files.deleteIfExists(p); // stale generations of earlier runs
                    }
                }
                m.persist(entryCount);
                m.close();
                DirectorySync.fsync(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the index directory " + dir + ": " + e.getMessage(), e);
        } finally {
            for (MappedCellStore s : stores) {
                s.close();
            }
            stores.clear();
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("cannot release the lock of {}", dir, e);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("storage factory for " + dir + " is closed");
        }
    }

    @Override
    public String toString() {
        return "mapped(" + dir + ")";
    }
}
