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
    private final DirectoryHistory history;
    private final boolean allocate;

    /** Stores made or recovered and not retired. Guarded by {@code this}. */
    private final Set<MappedCellStore> stores = new HashSet<>();
    private long nextGeneration;
    private boolean started;
    private boolean attached;
    private boolean closed;

    /**
     * A factory for the index directory {@code dir} (created if missing).
     *
     * @throws IllegalStateException if another factory (in this or another process) has the directory
     * @throws UncheckedIOException  if the directory cannot be created or locked
     */
    public MappedCellStoreFactory(Path dir) {
        this(dir, Allocation.ALLOCATED);
    }

    /** How the blocks of a new cell file are obtained. */
    public enum Allocation {
        /**
         * Written out (zeros) when the file is created: a full disk is an {@link UncheckedIOException}
         * from the resize that needed the space, and the index is unchanged. Costs one sequential
         * write of the file per resize (docs/STORAGE.md has the numbers). The default.
         */
        ALLOCATED,
        /**
         * Sparse: blocks are allocated when a cell is first written through the mapping. Cheaper
         * to create, but a full disk then faults the JVM (an {@link InternalError} from the
         * write, SIGBUS) instead of failing cleanly. For tests and disks that cannot fill up.
         */
        SPARSE
    }

    /**
     * A factory for the index directory {@code dir} (created if missing) whose new files are
     * obtained as {@code allocation} says.
     */
    public MappedCellStoreFactory(Path dir, Allocation allocation) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.allocate = Objects.requireNonNull(allocation, "allocation") == Allocation.ALLOCATED;
        if (Files.exists(this.dir) && !Files.isDirectory(this.dir)) {
            throw new UncheckedIOException("cannot open the index directory " + this.dir + ": it is not a directory",
                    new java.nio.file.NotDirectoryException(this.dir.toString()));
        }
        try {
            Files.createDirectories(this.dir);
            this.lockChannel = FileChannel.open(this.dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the index directory " + this.dir + ": " + e.getMessage(), e);
        }
        this.lock = lockDirectory(lockChannel, this.dir);
        this.history = new DirectoryHistory(lockChannel, this.dir.resolve(LOCK_FILE));
        this.nextGeneration = Math.max(newestGeneration(this.dir), history.highest()) + 1;
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
            List<Path> files = cellFiles(f.dir);
            for (Path p : files) {
                MappedCellStore.requireUnused(p); // an index still running here (its lock file deleted?) keeps its files
            }
            for (Path p : files) {
                Files.deleteIfExists(p);
            }
            f.history.cleared(); // generations go on from the highest: a file copied back stays stale
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
        history.created(gen);
        MappedCellStore s = MappedCellStore.create(dir.resolve("cells-" + gen + ".cob"), gen, capacity, segmentSize, allocate);
        DirectorySync.fsync(dir); // the new generation's name is durable before its cells are written
        stores.add(s);
        started = true;
        return s;
    }

    /**
     * The store persisted by the last clean close of this directory, checked completely (header,
     * length, generation, body checksum); {@code null} if the directory holds no cell file and
     * none is missing. The file is left as it is (still marked clean) until {@link #adopted}.
     * Call it before {@link #create} (once per factory).
     *
     * <p>Only the newest generation is considered: an older file is stale even when it says
     * clean. Two exceptions, both about what the directory remembers ({@link DirectoryHistory}):
     * if the generation of the last clean close is gone (deleted, or replaced by an older copy)
     * that is {@link CorruptIndexException.Reason#MISSING}, never a new, empty index; and a
     * newest file shorter than a header (a process killed while it created the file) gives way to
     * the previous generation if that one opens clean.
     *
     * @throws CorruptIndexException if the newest cell file is not a clean, intact, compatible file, or is missing
     * @throws IllegalStateException if this factory has already made or recovered a store, or another index holds the file
     * @throws UncheckedIOException  if the file cannot be opened for reading and writing (permissions); it is intact then
     */
    @Override
    public synchronized CellStore recover() {
        requireOpen();
        if (started) {
            throw new IllegalStateException("recover() must come before any create() or recover() of this factory");
        }
        List<Path> files = cellFiles(dir);
        long live = history.live();
        long newest = files.isEmpty() ? 0 : generationOf(files.get(files.size() - 1));
        if (live > 0 && newest < live) {
            Path gone = dir.resolve("cells-" + live + ".cob");
            throw CellFileHeader.corrupt(gone, CorruptIndexException.Reason.MISSING, "the index was last closed cleanly as "
                    + gone.getFileName() + ", which is gone (deleted, or moved away), and "
                    + (files.isEmpty() ? "the directory holds no cell file" : "the newest cell file left is the older "
                    + files.get(files.size() - 1).getFileName()) + "; starting empty would lose the index silently");
        }
        if (files.isEmpty()) {
            return null;
        }
        MappedCellStore s;
        Path file = files.get(files.size() - 1);
        try {
            s = MappedCellStore.open(file, newest);
        } catch (CorruptIndexException e) {
            s = previousIfNewestIsEmpty(files, live, e);
        }
        stores.add(s);
        started = true;
        return s;
    }

    /** The previous generation, if the newest file is shorter than a header and the previous one opens clean; else {@code e}. */
    private static MappedCellStore previousIfNewestIsEmpty(List<Path> files, long live, CorruptIndexException e) {
        if (e.reason() != CorruptIndexException.Reason.TRUNCATED || files.size() < 2) {
            throw e;
        }
        try {
            if (Files.size(files.get(files.size() - 1)) >= CellFileHeader.BYTES) {
                throw e;
            }
        } catch (IOException io) {
            throw e;
        }
        Path previous = files.get(files.size() - 2);
        long g = generationOf(previous);
        if (g < live) {
            throw e;
        }
        try {
            MappedCellStore s = MappedCellStore.open(previous, g);
            LOG.warn("{} is shorter than a header (a process was killed while creating it): reopening the previous generation {}",
                    files.get(files.size() - 1), previous);
            return s;
        } catch (RuntimeException other) {
            e.addSuppressed(other);
            throw e;
        }
    }

    /** Only one index may use this factory. */
    @Override
    public synchronized void attach() {
        requireOpen();
        if (attached) {
            throw new IllegalStateException("this storage factory for " + dir + " already serves an index: one factory serves "
                    + "one index (close that index, then make a new MappedCellStoreFactory for the directory)");
        }
        attached = true;
    }

    /**
     * Checks the entry count the index found against the one recorded at the clean close, then
     * marks the file not clean (forced) before the index changes a cell.
     */
    @Override
    public synchronized void adopted(CellStore store, long entries) {
        if (!(store instanceof MappedCellStore m) || !stores.contains(m) || m.recoveredEntryCount() < 0) {
            throw new IllegalArgumentException(store + " is not a store recovered by this factory");
        }
        if (entries != m.recoveredEntryCount()) {
            throw CellFileHeader.corrupt(m.file(), CorruptIndexException.Reason.STRUCTURE, "its header's entry count "
                    + m.recoveredEntryCount() + " disagrees with the " + entries + " entries its cells hold");
        }
        m.markInUse();
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
                if (!m.isLinked()) {
                    LOG.error("the live cell file {} was deleted or replaced while the index was open: writing the index "
                            + "out again from memory. Something outside cobtree is changing {}", m.file(), dir);
                    m.rescue();
                }
                m.close();
                history.closedClean(m.generation());
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
