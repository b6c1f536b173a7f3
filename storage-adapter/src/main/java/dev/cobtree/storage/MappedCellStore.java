package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An {@link OffHeapCellStore} whose cells are a memory-mapped file, so that an index can be larger
 * than the heap (the operating system pages cells in and out) and can be reopened after a clean
 * close without a rebuild.
 *
 * <p>The file is a {@linkplain CellFileHeader header page} followed by the cells. Its life:
 * <ol>
 *   <li>{@link #create}: a new file, its header marked not clean, its blocks allocated (zeros
 *       written) unless the factory asked for a sparse file, forced;</li>
 *   <li>or {@link #open}: an existing file that passes every check (magic, version, header
 *       checksum, clean flag, layout, length, generation, body checksum), left unchanged; once
 *       the index has accepted its cells, {@link #markInUse} marks it not clean (forced) before
 *       any cell can change;</li>
 *   <li>{@link #persist}: forces the cells, writes entry count, body checksum and the clean flag,
 *       forces the header. Only a file that went through this step opens again.</li>
 * </ol>
 * A file that was open when the process died therefore never opens: its header says not clean.
 * While a store is open its file is locked ({@link FileChannel#tryLock()}), so a second index
 * cannot open or delete it even if the directory's lock file was removed.
 * Persistence is made and checked by {@link MappedCellStoreFactory}; the access paths are the
 * off-heap store's, unchanged.
 */
public final class MappedCellStore extends OffHeapCellStore {

    /** Zeros written at a time when a file's blocks are allocated. */
    private static final int ZEROS = 1 << 20;

    private final Path file;
    private final long generation;
    private final MemorySegment whole;
    private final MemorySegment header;
    private final long recoveredEntryCount;
    /** Open for the store's life: it holds the lock that tells other indexes (any process) the file is in use. */
    private final FileChannel channel;
    /** The file's identity (device and inode on Linux) when it was opened: a deleted or replaced file has another. */
    private final Object fileKey;

    private MappedCellStore(Path file, long generation, MemorySegment whole, Arena arena, long capacity, int segmentSize,
                            long recoveredEntryCount, FileChannel channel, Object fileKey) {
        super(whole.asSlice(CellFileHeader.BYTES, capacity * CellFileHeader.CELL_BYTES), arena, capacity, CellFileHeader.layout(segmentSize));
        this.file = file;
        this.generation = generation;
        this.whole = whole;
        this.header = whole.asSlice(0, CellFileHeader.BYTES);
        this.recoveredEntryCount = recoveredEntryCount;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * A new file {@code file} (which must not exist) of {@code capacity} zeroed cells, marked not
     * clean. With {@code allocate}, every block of the file is written (zeros) before it is mapped,
     * so a full disk is an {@link UncheckedIOException} here, never a fault (SIGBUS) at a later
     * first write through the mapping; without, the file is sparse.
     *
     * @throws IllegalStateException if another index holds a lock on the file
     * @throws UncheckedIOException  if the file cannot be created or allocated (it is removed again)
     */
    static MappedCellStore create(Path file, long generation, long capacity, int segmentSize, boolean allocate) {
        checkLayout(capacity, CellFileHeader.layout(segmentSize));
        CellFileHeader h = new CellFileHeader(segmentSize, capacity, generation, false, 0, 0);
        if (capacity > (Long.MAX_VALUE - CellFileHeader.BYTES) / CellFileHeader.CELL_BYTES) {
            throw new IllegalArgumentException("capacity " + capacity + " cells is too large for a file");
        }
        Arena arena = Arena.ofShared();
        FileChannel ch = null;
        boolean done = false;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock(ch, file);
            writeFully(ch, h.encode(), 0); // not clean from its first byte: a crash from here on leaves a refused file
            if (allocate) {
                writeZeros(ch, CellFileHeader.BYTES, h.fileBytes());
            } else {
                writeFully(ch, ByteBuffer.allocate(1), h.fileBytes() - 1); // extends the file: the cells read as zeros
            }
            ch.force(true);
            MemorySegment whole = ch.map(MapMode.READ_WRITE, 0, h.fileBytes(), arena);
            MappedCellStore s = new MappedCellStore(file, generation, whole, arena, capacity, segmentSize, -1, ch, fileKey(file));
            done = true;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cell file " + file + " (" + h.fileBytes() + " bytes): " + e.getMessage()
                    + (allocate ? "; the index is unchanged, make room on the device and try again" : ""), e);
        } finally {
            if (!done) {
                arena.close();
                closeQuietly(ch);
                if (ch != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // the half-made file is not clean: it can never be opened by mistake
                    }
                }
            }
        }
    }

    /** Writes zeros over [from, to) of the file: the file system allocates every block now. */
    private static void writeZeros(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(ZEROS);
        for (long at = from; at < to; ) {
            zeros.clear().limit((int) Math.min(ZEROS, to - at));
            while (zeros.hasRemaining()) {
                at += ch.write(zeros, at);
            }
        }
    }

    /** Takes the exclusive lock of an open cell file, or says that another index has it. */
    private static void lock(FileChannel ch, Path file) throws IOException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new IllegalStateException("cell file " + file + " is in use by another open index (this process or another); "
                    + "close that index first. (Was the directory's " + MappedCellStoreFactory.LOCK_FILE + " deleted?)");
        }
    }

    /** Fails with {@link IllegalStateException} if another index holds the lock of {@code file}. */
    static void requireUnused(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            lock(ch, file);
        } catch (NoSuchFileException gone) {
            // nothing to protect
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check whether " + file + " is in use: " + e.getMessage(), e);
        }
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /**
     * Opens a file that was closed cleanly, after checking all of it. The file is not changed:
     * it stays marked clean until the index has accepted the cells ({@link #markInUse}), so a
     * refusal or a failure in between leaves it exactly as it was.
     *
     * @param generation the generation in the file's name, which its header must repeat
     * @throws CorruptIndexException if any check fails; nothing is returned then
     * @throws UncheckedIOException  if the file cannot be opened for reading and writing (permissions, immutable)
     * @throws IllegalStateException if another index holds the file
     */
    static MappedCellStore open(Path file, long generation) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the cell file " + file + " for reading and writing (" + e.getMessage()
                    + "): check the permissions and attributes of the file and its directory (ls -l, lsattr; chmod, chattr -i) "
                    + "and open again. The file was not read or changed: keep it", e);
        }
        Arena arena = Arena.ofShared();
        boolean done = false;
        try {
            lock(ch, file);
            long size = ch.size();
            ByteBuffer page = ByteBuffer.allocate((int) Math.min(size, CellFileHeader.BYTES));
            while (page.hasRemaining() && ch.read(page, page.position()) >= 0) {
                // read the whole header page
            }
            page.flip();
            CellFileHeader h = CellFileHeader.decode(file, page, size);
            if (h.generation != generation) {
                throw CellFileHeader.corrupt(file, Reason.RENAMED, "its header says generation " + h.generation + ", its name says "
                        + generation + ": it was copied or renamed from another place or time");
            }
            MemorySegment whole = ch.map(MapMode.READ_WRITE, 0, size, arena);
            MappedCellStore s = new MappedCellStore(file, h.generation, whole, arena, h.capacity, h.segmentSize, h.entryCount, ch, fileKey(file));
            int actual = Checksums.crc32c(s.cells());
            if (actual != h.bodyCrc) {
                throw CellFileHeader.corrupt(file, Reason.BODY_CHECKSUM,
                        String.format("its cells' checksum is %08x, the header says %08x: cells were changed after the clean close", actual, h.bodyCrc));
            }
            done = true;
            return s;
        } catch (IOException e) {
            throw new CorruptIndexException(file, Reason.UNREADABLE, "it cannot be read (" + e.getMessage() + "), so it cannot be "
                    + "verified; check the device", CellFileHeader.REMEDY, e);
        } finally {
            if (!done) {
                arena.close();
                closeQuietly(ch);
            }
        }
    }

    /**
     * The index accepted the recovered cells and may now change them: the header is marked not
     * clean and forced first, so that a crash from now on leaves a refused file.
     */
    void markInUse() {
        CellFileHeader h = CellFileHeader.decodeTrusted(header);
        writeHeader(new CellFileHeader(h.segmentSize, h.capacity, h.generation, false, h.entryCount, h.bodyCrc));
    }

    /** Whether {@link #file()} is still the file this store maps (not deleted, not replaced). */
    boolean isLinked() {
        try {
            return fileKey != null && fileKey.equals(fileKey(file));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The mapped file was deleted or replaced while the index ran: writes what the mapping holds
     * (header and cells, already persisted) to a new file under the old name, through a
     * temporary file and an atomic rename, so a clean close still leaves the index on disk.
     */
    void rescue() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".rescue");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            long size = whole.byteSize();
            for (long at = 0; at < size; ) {
                long n = Math.min(64L << 20, size - at);
                ByteBuffer b = whole.asSlice(at, n).asByteBuffer();
                while (b.hasRemaining()) {
                    out.write(b, at + b.position());
                }
                at += n;
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            at += ch.write(b, at);
        }
    }

    /** Writes the header page into the mapping and forces it to the file. */
    private void writeHeader(CellFileHeader h) {
        header.copyFrom(MemorySegment.ofBuffer(h.encode()));
        header.force();
    }

    /**
     * Makes the file open again: forces the cells, records {@code entryCount} and the cells'
     * checksum, then sets the clean flag and forces the header. The caller stops every writer first.
     */
    void persist(long entryCount) {
        if (entryCount < 0 || entryCount > capacity()) {
            throw new IllegalArgumentException("entryCount " + entryCount + " outside [0, " + capacity() + "]");
        }
        cells().force(); // the cells reach the file before the flag that vouches for them
        int crc = Checksums.crc32c(cells());
        writeHeader(new CellFileHeader(segmentSize(), capacity(), generation, true, entryCount, crc));
    }

    /** Unmaps the file and deletes it (a retired generation). */
    void discard() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the retired cell file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file behind the cells. */
    @Override
    public Path file() {
        return file;
    }

    /** The generation number of the file ({@code cells-<generation>.cob}). */
    public long generation() {
        return generation;
    }

    /** The entry count recorded at the clean close this store was reopened from; -1 for a new file. */
    public long recoveredEntryCount() {
        return recoveredEntryCount;
    }

    /** Unmaps the file and releases its lock. Idempotent. */
    @Override
    public void close() {
        super.close();
        closeQuietly(channel);
    }

    @Override
    public long memoryBytes() {
        return CellFileHeader.BYTES + capacity() * CellFileHeader.CELL_BYTES;
    }
}
