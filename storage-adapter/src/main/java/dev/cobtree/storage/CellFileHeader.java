package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The first page of a mapped cell file ({@code cells-<generation>.cob}), little-endian:
 *
 * <pre>
 * offset size field
 *      0    8 magic "COBTCELL"
 *      8    4 format version (1)
 *     12    4 header bytes (4096: the cells start on their own page)
 *     16    4 bytes per cell (20)
 *     20    4 cell layout ({@link CellLayout}: 4 = per segment its keys and values, the 32-bit
 *                             meta words in a column after all segments; written by earlier builds
 *                             and refused, all with 24-byte cells and 64-bit meta words: 3 = the
 *                             same with 64-bit meta words; 2 = columnar, per segment its meta
 *                             words, keys, values; 1 = interleaved meta, key, value)
 *     24    4 segment size (cells per segment of the owning index)
 *     28    4 flags: bit 0 = CLEAN (set only by a clean close, after the body is forced)
 *     32    8 capacity in cells
 *     40    8 generation (the number in the file name)
 *     48    8 entry count at the last clean close
 *     56    8 body bytes (capacity * 20: little-endian longs and 32-bit meta words placed as the layout says)
 *     64    4 CRC32C of the body at the last clean close
 *     68 4024 zero
 *   4092    4 CRC32C of bytes [0, 4092)
 * </pre>
 * The file is exactly {@code 4096 + capacity * 20} bytes long.
 */
final class CellFileHeader {

    static final int BYTES = 4096;
    static final int VERSION = 1;
    /** The cell arrangement this build writes and reads. */
    static final CellLayout.Arrangement ARRANGEMENT = CellLayout.Arrangement.SEPARATE_META;
    /** Bytes per cell of the files this build writes: a key, a value and a 32-bit meta word. */
    static final int CELL_BYTES = 2 * Long.BYTES + Integer.BYTES;
    /** Bytes per cell of the files of earlier builds (64-bit meta words, layout ids 1 to 3). */
    static final int OLD_CELL_BYTES = 3 * Long.BYTES;
    /** The layout id of earlier builds' files with the meta words apart, 64 bits each. */
    static final int OLD_SEPARATE_META_ID = 3;
    static final int FLAG_CLEAN = 1;
    static final byte[] MAGIC = "COBTCELL".getBytes(StandardCharsets.US_ASCII);

    private static final int CRC_AT = BYTES - 4;

    static final String REMEDY = CorruptIndexException.CELL_FILE_REMEDY;

    /** What to do with a file of an earlier layout: it is sound, just older. */
    static final String OLD_LAYOUT_REMEDY = "to keep its data, open the directory with the cobtree version that wrote it, "
            + "write its entries out (a checkpoint or an iteration) and load them into an index of this version; "
            + "or rebuild the index from its source of truth. Leave the file in place until then";

    /** The layout of the cells of a file with segments of {@code segmentSize} cells. */
    static CellLayout layout(int segmentSize) {
        return CellLayout.of(ARRANGEMENT, segmentSize);
    }

    /** The segment sizes an index can have (a power of two in this range). */
    static final int MIN_SEGMENT = 8;
    static final int MAX_SEGMENT = 4096;

    final int segmentSize;
    final long capacity;
    final long generation;
    final boolean clean;
    final long entryCount;
    final int bodyCrc;

    CellFileHeader(int segmentSize, long capacity, long generation, boolean clean, long entryCount, int bodyCrc) {
        this.segmentSize = segmentSize;
        this.capacity = capacity;
        this.generation = generation;
        this.clean = clean;
        this.entryCount = entryCount;
        this.bodyCrc = bodyCrc;
    }

    long fileBytes() {
        return BYTES + capacity * CELL_BYTES;
    }

    /** The whole header page, checksum included. */
    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, MAGIC);
        b.putInt(8, VERSION);
        b.putInt(12, BYTES);
        b.putInt(16, CELL_BYTES);
        b.putInt(20, ARRANGEMENT.fileId);
        b.putInt(24, segmentSize);
        b.putInt(28, clean ? FLAG_CLEAN : 0);
        b.putLong(32, capacity);
        b.putLong(40, generation);
        b.putLong(48, entryCount);
        b.putLong(56, capacity * CELL_BYTES);
        b.putInt(64, bodyCrc);
        b.putInt(CRC_AT, crc(b));
        return b;
    }

    private static int crc(ByteBuffer page) {
        CRC32C c = new CRC32C();
        c.update(page.slice(0, CRC_AT));
        return (int) c.getValue();
    }

    /**
     * Reads and checks a header page of {@code file} ({@code fileSize} bytes long): magic, version,
     * checksum, clean flag, layout and the file's length. The body checksum is checked by the caller.
     *
     * @param page the first {@code min(fileSize, 4096)} bytes of the file
     * @throws CorruptIndexException naming what is wrong
     */
    static CellFileHeader decode(Path file, ByteBuffer page, long fileSize) {
        page = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (page.limit() < MAGIC.length) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + fileSize + " bytes, shorter than its " + BYTES + "-byte header");
        }
        if (!page.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw corrupt(file, Reason.FOREIGN, "it does not start with the magic number of a cobtree cell file");
        }
        if (page.limit() < 12) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + fileSize + " bytes, shorter than its " + BYTES + "-byte header");
        }
        int version = page.getInt(8);
        if (version != VERSION) {
            throw corrupt(file, Reason.VERSION, "it has format version " + version + ", this build reads version " + VERSION);
        }
        if (fileSize < BYTES) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + fileSize + " bytes, shorter than its " + BYTES + "-byte header");
        }
        int stored = page.getInt(CRC_AT);
        int actual = crc(page);
        if (stored != actual) {
            throw corrupt(file, Reason.HEADER_CHECKSUM, String.format("its header checksum is %08x, the header's bytes give %08x", stored, actual));
        }
        int flags = page.getInt(28);
        if ((flags & ~FLAG_CLEAN) != 0) {
            throw corrupt(file, Reason.LAYOUT, "its header has unknown flags " + Integer.toHexString(flags));
        }
        if ((flags & FLAG_CLEAN) == 0) {
            throw corrupt(file, Reason.UNCLEAN_SHUTDOWN, "it was not closed cleanly (the process stopped or the index was "
                    + "closed without persisting while it was open), so its cells may be half-written");
        }
        int headerBytes = page.getInt(12);
        int cellBytes = page.getInt(16);
        int layout = page.getInt(20);
        int segmentSize = page.getInt(24);
        long capacity = page.getLong(32);
        long bodyBytes = page.getLong(56);
        if ((layout == 1 || layout == 2 || layout == OLD_SEPARATE_META_ID) && headerBytes == BYTES && cellBytes == OLD_CELL_BYTES) {
            String which = layout == 1 ? "interleaved layout" : layout == 2 ? "columnar layout with meta words inside segments"
                    : "layout with 64-bit meta words apart (24-byte cells)";
            throw new CorruptIndexException(file, Reason.LAYOUT, "its cells are in the " + which + " (id " + layout
                    + ") of earlier cobtree builds, not the layout with 32-bit meta words apart (id " + ARRANGEMENT.fileId
                    + ", 20-byte cells) which this build reads; it was not read, so it is not misread", OLD_LAYOUT_REMEDY);
        }
        if (headerBytes != BYTES || cellBytes != CELL_BYTES || layout != ARRANGEMENT.fileId) {
            throw corrupt(file, Reason.LAYOUT, "its layout (header " + headerBytes + " bytes, cell " + cellBytes + " bytes, layout "
                    + layout + ") is not the one this build writes (" + BYTES + ", " + CELL_BYTES + ", " + ARRANGEMENT.fileId + ")");
        }
        if (segmentSize < MIN_SEGMENT || segmentSize > MAX_SEGMENT || Integer.bitCount(segmentSize) != 1) {
            throw corrupt(file, Reason.LAYOUT, "its segment size " + segmentSize + " is not a power of two in [" + MIN_SEGMENT
                    + ", " + MAX_SEGMENT + "]");
        }
        if (capacity < 1 || capacity > (Long.MAX_VALUE - BYTES) / cellBytes
                || bodyBytes != capacity * cellBytes || capacity % segmentSize != 0) {
            throw corrupt(file, Reason.LAYOUT, "its header holds an impossible shape (capacity " + capacity + " cells, segment size "
                    + segmentSize + ", body " + bodyBytes + " bytes)");
        }
        long entryCount = page.getLong(48);
        if (entryCount < 0 || entryCount > capacity) {
            throw corrupt(file, Reason.LAYOUT, "its entry count " + entryCount + " does not fit its " + capacity + " cells");
        }
        CellFileHeader h = new CellFileHeader(segmentSize, capacity, page.getLong(40), true, entryCount, page.getInt(64));
        if (fileSize != h.fileBytes()) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + fileSize + " bytes, its header says " + h.fileBytes());
        }
        return h;
    }

    /** The fields of a header page this store wrote or {@link #decode}d itself (no checks). */
    static CellFileHeader decodeTrusted(java.lang.foreign.MemorySegment page) {
        ByteBuffer b = page.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new CellFileHeader(b.getInt(24), b.getLong(32), b.getLong(40), (b.getInt(28) & FLAG_CLEAN) != 0, b.getLong(48), b.getInt(64));
    }

    static CorruptIndexException corrupt(Path file, Reason reason, String detail) {
        return new CorruptIndexException(file, reason, detail, REMEDY);
    }
}
