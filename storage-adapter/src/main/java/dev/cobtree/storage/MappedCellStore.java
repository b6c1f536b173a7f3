package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
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
 *   <li>{@link #create}: a new file, zero-filled (sparse), its header marked not clean and forced;</li>
 *   <li>or {@link #open}: an existing file that passes every check (magic, version, header
 *       checksum, clean flag, layout, length, body checksum), then marked not clean again and
 *       forced before any cell can change;</li>
 *   <li>{@link #persist}: forces the cells, writes entry count, body checksum and the clean flag,
 *       forces the header. Only a file that went through this step opens again.</li>
 * </ol>
 * A file that was open when the process died therefore never opens: its header says not clean.
 * Persistence is made and checked by {@link MappedCellStoreFactory}; the access paths are the
 * off-heap store's, unchanged.
 */
public final class MappedCellStore extends OffHeapCellStore {

    private final Path file;
    private final long generation;
    private final MemorySegment header;
    private final long recoveredEntryCount;

    private MappedCellStore(Path file, long generation, MemorySegment whole, Arena arena, long capacity, int segmentSize,
                            long recoveredEntryCount) {
        super(whole.asSlice(CellFileHeader.BYTES, capacity * CELL_BYTES), arena, capacity, segmentSize);
        this.file = file;
        this.generation = generation;
        this.header = whole.asSlice(0, CellFileHeader.BYTES);
        this.recoveredEntryCount = recoveredEntryCount;
    }

    /** A new file {@code file} (which must not exist) of {@code capacity} zeroed cells, marked not clean. */
    static MappedCellStore create(Path file, long generation, long capacity, int segmentSize) {
        checkLayout(capacity, segmentSize);
        CellFileHeader h = new CellFileHeader(segmentSize, capacity, generation, false, 0, 0);
        if (capacity > (Long.MAX_VALUE - CellFileHeader.BYTES) / CELL_BYTES) {
            throw new IllegalArgumentException("capacity " + capacity + " cells is too large for a file");
        }
        Arena arena = Arena.ofShared();
        boolean done = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            writeFully(ch, h.encode(), 0);
            writeFully(ch, ByteBuffer.allocate(1), h.fileBytes() - 1); // extends the file: the cells read as zeros
            ch.force(true);
            MemorySegment whole = ch.map(MapMode.READ_WRITE, 0, h.fileBytes(), arena);
            MappedCellStore s = new MappedCellStore(file, generation, whole, arena, capacity, segmentSize, -1);
            done = true;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cell file " + file + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                arena.close();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the half-made file is not clean: it can never be opened by mistake
                }
            }
        }
    }

    /**
     * Opens a file that was closed cleanly, after checking all of it, and marks it not clean
     * (forced) before returning it.
     *
     * @throws CorruptIndexException if any check fails; nothing is returned then
     */
    static MappedCellStore open(Path file) {
        Arena arena = Arena.ofShared();
        boolean done = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer page = ByteBuffer.allocate((int) Math.min(size, CellFileHeader.BYTES));
            while (page.hasRemaining() && ch.read(page, page.position()) >= 0) {
                // read the whole header page
            }
            page.flip();
            CellFileHeader h = CellFileHeader.decode(file, page, size);
            MemorySegment whole = ch.map(MapMode.READ_WRITE, 0, size, arena);
            MappedCellStore s = new MappedCellStore(file, h.generation, whole, arena, h.capacity, h.segmentSize, h.entryCount);
            int actual = Checksums.crc32c(s.cells());
            if (actual != h.bodyCrc) {
                throw CellFileHeader.corrupt(file, Reason.BODY_CHECKSUM,
                        String.format("its cells' checksum is %08x, the header says %08x: cells were changed after the clean close", actual, h.bodyCrc));
            }
            s.writeHeader(new CellFileHeader(h.segmentSize, h.capacity, h.generation, false, h.entryCount, h.bodyCrc));
            done = true;
            return s;
        } catch (IOException e) {
            throw new CorruptIndexException(file, Reason.UNREADABLE, "it cannot be read (" + e.getMessage() + ")", CellFileHeader.REMEDY, e);
        } finally {
            if (!done) {
                arena.close();
            }
        }
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

    @Override
    public long memoryBytes() {
        return CellFileHeader.BYTES + capacity() * CELL_BYTES;
    }
}
