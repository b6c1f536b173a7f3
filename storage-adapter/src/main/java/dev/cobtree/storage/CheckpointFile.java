package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * A checkpoint: a compact sorted image of an index's entries, written crash-safely and read back
 * with full validation, the durable state to fall back on when a mapped index cannot be reopened.
 *
 * <h2>Format (little-endian)</h2>
 * <pre>
 * offset size field
 *      0    8 magic "COBTCKPT"
 *      8    4 format version (1)
 *     12    4 header bytes (64)
 *     16    8 entry count n
 *     24    4 entries per block B (65536)
 *     28    4 CRC32C of the body
 *     32   28 zero
 *     60    4 CRC32C of bytes [0, 60)
 *     64      body: blocks of min(B, rest) entries, each its keys (ascending) then its values
 * </pre>
 * The file is exactly {@code 64 + 16 n} bytes long; keys are strictly ascending across the file.
 * Blocks let the writer stream in one pass without knowing {@code n} in advance and let the
 * reader copy keys and values into their arrays with bulk copies.
 *
 * <h2>Crash safety</h2>
 * {@link #write} writes a temporary file in the target's directory, forces it
 * ({@code force(true)}), renames it over the target with {@code ATOMIC_MOVE} and fsyncs the
 * directory. A crash at any point leaves either the old checkpoint or the new one, complete,
 * and at worst a stray {@code .<name>.tmp-*} file. A failed write (a source that throws or emits
 * keys out of order) leaves the target untouched.
 */
public final class CheckpointFile {

    /** Receives entries in strictly ascending key order. */
    @FunctionalInterface
    public interface EntrySink {
        void accept(long key, long value);
    }

    /** Something that can feed its entries, in strictly ascending key order, to a sink. */
    @FunctionalInterface
    public interface Source {
        void forEach(EntrySink sink);
    }

    /** A checkpoint read back: {@code keys[i] -> values[i]}, keys strictly ascending. */
    public record Image(long[] keys, long[] values) {
        public Image {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(values, "values");
            if (keys.length != values.length) {
                throw new IllegalArgumentException(keys.length + " keys but " + values.length + " values");
            }
        }

        public int size() {
            return keys.length;
        }
    }

    static final byte[] MAGIC = "COBTCKPT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER = 64;
    static final int BLOCK = 1 << 16;
    private static final int CRC_AT = 60;
    /** Largest Java array {@link #read} can fill. */
    public static final int MAX_ENTRIES = Integer.MAX_VALUE - 8;

    static final String REMEDY = "Restore an older checkpoint, or rebuild the index from the table it indexes";

    private CheckpointFile() {
    }

    // ---- writing ------------------------------------------------------------------------------

    /** Writes {@code keys[from..to) -> values[from..to)} (keys strictly ascending) to {@code target}. */
    public static void write(Path target, long[] keys, long[] values, int from, int to) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        Objects.checkFromToIndex(from, to, keys.length);
        Objects.checkFromToIndex(from, to, values.length);
        for (int i = from + 1; i < to; i++) {
            if (keys[i] <= keys[i - 1]) {
                throw new IllegalArgumentException("keys not strictly increasing at index " + i + ": " + keys[i - 1] + " then " + keys[i]);
            }
        }
        write(target, to - from, sink -> {
            for (int i = from; i < to; i++) {
                sink.accept(keys[i], values[i]);
            }
        });
    }

    /** Writes whatever {@code source} emits (strictly ascending keys) to {@code target}; returns the count. */
    public static long write(Path target, Source source) {
        return write(target, -1, source);
    }

    /**
     * Writes exactly {@code count} entries from {@code source} to {@code target}, crash-safely.
     *
     * @param count the number of entries {@code source} must emit, or -1 for any number
     * @return the number of entries written
     * @throws IllegalArgumentException if the source emits keys out of order or a different count
     *                                  (the target is then untouched)
     * @throws UncheckedIOException     if the file system fails (the target is then untouched)
     */
    public static long write(Path target, long count, Source source) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(source, "source");
        if (count < -1) {
            throw new IllegalArgumentException("count " + count + " must be -1 (any) or non-negative");
        }
        Path abs = resolveTarget(target);
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException("cannot write the checkpoint " + abs + ": the directory " + dir + " does not exist",
                    new NoSuchFileException(dir.toString()));
        }
        removeStrayTemporaries(dir, name);
        Path tmp = dir.resolve("." + name + TMP + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.tryLock(); // held until the channel closes, after the rename: another writer's cleanup leaves this file alone
            BlockWriter w = new BlockWriter(ch, count, abs);
            source.forEach(w);
            long n = w.finish();
            if (count >= 0 && n != count) {
                throw new IllegalArgumentException("the source emitted " + n + " entries, " + count + " were announced");
            }
            ByteBuffer h = header(n, w.bodyCrc());
            while (h.hasRemaining()) {
                ch.write(h, h.position());
            }
            ch.force(true); // the whole image is on the device before its name can be the target's
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            DirectorySync.fsync(dir); // the rename itself is durable
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + abs + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temporary file is never read as a checkpoint
                }
            }
        }
    }

    /** Infix of a temporary file: {@code .<name>.tmp-<random hex>}. */
    private static final String TMP = ".tmp-";

    /**
     * The file a checkpoint of {@code target} replaces: absolute, and if {@code target} is a
     * symbolic link, the file it points at (the link stays a link and sees the new checkpoint).
     */
    private static Path resolveTarget(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getFileName() == null || abs.getParent() == null) {
            throw new IllegalArgumentException("checkpoint target " + target + " does not name a file");
        }
        if (Files.isSymbolicLink(abs)) {
            try {
                Path to = Files.readSymbolicLink(abs);
                return resolveTarget(abs.getParent().resolve(to)); // relative links are relative to the link's directory
            } catch (IOException e) {
                throw new UncheckedIOException("cannot follow the symbolic link " + abs + ": " + e.getMessage(), e);
            }
        }
        return abs;
    }

    /**
     * Deletes the temporary files of earlier writes of {@code name} that were killed before they
     * could remove them. A writer holds a lock on its temporary file until it is renamed or
     * deleted, so a file we can lock belongs to no running writer (of any process); one we cannot
     * is left alone.
     */
    private static void removeStrayTemporaries(Path dir, String name) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith("." + name + TMP))) {
            for (Path p : ds) {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
                    if (l != null) {
                        Files.deleteIfExists(p);
                    }
                } catch (OverlappingFileLockException | IOException busyOrGone) {
                    // a writer of this JVM holds it, or it vanished: not ours to remove
                }
            }
        } catch (IOException e) {
            // listing failed: the strays stay, which costs space, never correctness
        }
    }

    /** Buffers one block of keys and values and writes it (keys, then values) when full. */
    private static final class BlockWriter implements EntrySink {
        private final FileChannel ch;
        private final long limit;
        private final Path target;
        private final ByteBuffer keys = ByteBuffer.allocateDirect(BLOCK * 8).order(ByteOrder.LITTLE_ENDIAN);
        private final ByteBuffer values = ByteBuffer.allocateDirect(BLOCK * 8).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long position = HEADER;
        private long count;
        private long last;

        BlockWriter(FileChannel ch, long limit, Path target) {
            this.ch = ch;
            this.limit = limit;
            this.target = target;
        }

        @Override
        public void accept(long key, long value) {
            if (count > 0 && key <= last) {
                throw new IllegalArgumentException("checkpoint " + target + ": key " + key + " after " + last + " (entry " + count + ") is not strictly ascending");
            }
            if (limit >= 0 && count == limit) {
                throw new IllegalArgumentException("checkpoint " + target + ": the source emits more than the " + limit + " entries announced");
            }
            keys.putLong(key);
            values.putLong(value);
            last = key;
            count++;
            if (!keys.hasRemaining()) {
                flush();
            }
        }

        private void flush() {
            try {
                put(keys);
                put(values);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the checkpoint " + target + ": " + e.getMessage(), e);
            }
        }

        private void put(ByteBuffer b) throws IOException {
            b.flip();
            crc.update(b.duplicate());
            while (b.hasRemaining()) {
                position += ch.write(b, position);
            }
            b.clear();
        }

        long finish() {
            if (keys.position() > 0) {
                flush();
            }
            return count;
        }

        int bodyCrc() {
            return (int) crc.getValue();
        }
    }

    private static ByteBuffer header(long count, int bodyCrc) {
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, MAGIC);
        b.putInt(8, VERSION);
        b.putInt(12, HEADER);
        b.putLong(16, count);
        b.putInt(24, BLOCK);
        b.putInt(28, bodyCrc);
        b.putInt(CRC_AT, headerCrc(b));
        return b;
    }

    private static int headerCrc(ByteBuffer b) {
        CRC32C c = new CRC32C();
        c.update(b.slice(0, CRC_AT));
        return (int) c.getValue();
    }

    // ---- reading ------------------------------------------------------------------------------

    /**
     * Reads a checkpoint, checking everything (magic, version, header checksum, length, body
     * checksum, key order) before it returns.
     *
     * <p>The file is read with plain reads, never mapped: a file cut short while it is read (a
     * copy over it, a truncation) ends the read early, which is {@link Reason#TRUNCATED}, where a
     * mapping would have faulted the JVM. The arrays grow as sorted entries arrive, so a header
     * announcing billions of entries costs memory only for the entries really there: a sparse
     * file of zeros is refused within its first block.
     *
     * @throws CorruptIndexException if any check fails, or {@code file} is not a regular file
     *                               (a directory, a FIFO, a device: {@link Reason#FOREIGN})
     * @throws UncheckedIOException  if the file cannot be read ({@link NoSuchFileException} when it is missing)
     */
    public static Image read(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) { // a FIFO would block the open forever, a device would read forever
            if (!Files.exists(file)) {
                throw new UncheckedIOException("checkpoint " + file + " does not exist", new NoSuchFileException(file.toString()));
            }
            throw corrupt(file, Reason.FOREIGN, "it is not a regular file (a directory, a FIFO or a device)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate((int) Math.min(size, HEADER)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, 0);
            h.flip();
            long count = checkHeader(file, h, size);
            return readBody(file, ch, (int) count, h.getInt(24), h.getInt(28));
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("checkpoint " + file + " does not exist", e);
        } catch (EOFException e) {
            throw corrupt(file, Reason.TRUNCATED, "the file ended while it was read (" + e.getMessage() + "): it was cut short, "
                    + "perhaps by a copy over it while it was read");
        } catch (IOException e) {
            throw new CorruptIndexException(file, Reason.UNREADABLE, "it cannot be read (" + e.getMessage() + ")", REMEDY, e);
        }
    }

    private static long checkHeader(Path file, ByteBuffer h, long size) {
        if (h.limit() < MAGIC.length) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + size + " bytes, shorter than its " + HEADER + "-byte header");
        }
        if (!h.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw corrupt(file, Reason.FOREIGN, "it does not start with the magic number of a cobtree checkpoint");
        }
        if (h.limit() < 12) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + size + " bytes, shorter than its " + HEADER + "-byte header");
        }
        int version = h.getInt(8);
        if (version != VERSION) {
            throw corrupt(file, Reason.VERSION, "it has format version " + version + ", this build reads version " + VERSION);
        }
        if (h.limit() < HEADER) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + size + " bytes, shorter than its " + HEADER + "-byte header");
        }
        int stored = h.getInt(CRC_AT);
        int actual = headerCrc(h);
        if (stored != actual) {
            throw corrupt(file, Reason.HEADER_CHECKSUM, String.format("its header checksum is %08x, the header's bytes give %08x", stored, actual));
        }
        long count = h.getLong(16);
        int block = h.getInt(24);
        if (h.getInt(12) != HEADER || block != BLOCK || count < 0 || count > (Long.MAX_VALUE - HEADER) / 16) {
            throw corrupt(file, Reason.LAYOUT, "its header holds an impossible shape (header " + h.getInt(12) + " bytes, "
                    + count + " entries, blocks of " + block + "; this build writes blocks of " + BLOCK + ")");
        }
        if (size != HEADER + 16 * count) {
            throw corrupt(file, Reason.TRUNCATED, "the file is " + size + " bytes, its header says " + (HEADER + 16 * count)
                    + " for " + count + " entries");
        }
        if (count > MAX_ENTRIES) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + count + " entries, more than a Java array ("
                    + MAX_ENTRIES + ")");
        }
        return count;
    }

    /** Longs checksummed and copied at a time: 64 KiB, so the copy reads what the checksum just brought into L1/L2. */
    private static final int PIECE = 8192;

    /**
     * Reads the body block by block in 64 KiB pieces: each piece is read into one direct buffer,
     * checksummed, copied into its array and, for keys, checked for order while still cached.
     * The arrays start at one block and double (up to {@code count}) only when sorted keys fill
     * them, so memory follows the entries actually read. After the first out-of-order key
     * nothing more is stored, but the rest is still checksummed: a damaged body is reported as
     * {@link Reason#BODY_CHECKSUM}, and only a body whose checksum holds as {@link Reason#UNSORTED}.
     */
    private static Image readBody(Path file, FileChannel ch, int count, int block, int expectedCrc) throws IOException {
        Growing keys = new Growing(count);
        Growing values = new Growing(count);
        ByteBuffer piece = ByteBuffer.allocateDirect(8 * PIECE).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        long at = HEADER;
        int unsortedAt = -1;
        long last = 0; // the greatest key stored so far (entry unsortedAt - 1 once one is out of order)
        for (int done = 0; done < count; ) {
            int n = Math.min(block, count - done);
            boolean store = unsortedAt < 0;
            if (store) {
                keys.ensure(done + n);
                values.ensure(done + n);
            }
            for (int kind = 0; kind < 2; kind++) { // the block's keys, then its values
                long[] dst = kind == 0 ? keys.array : values.array;
                for (int i = 0; i < n; ) {
                    int m = Math.min(PIECE, n - i);
                    piece.clear().limit(8 * m);
                    readFully(ch, piece, at);
                    piece.flip();
                    crc.update(piece.duplicate());
                    if (store) {
                        piece.asLongBuffer().get(dst, done + i, m);
                        if (kind == 0) {
                            for (int j = done + i; j < done + i + m; j++) {
                                if (j > 0 && dst[j] <= last) {
                                    unsortedAt = j;
                                    break;
                                }
                                last = dst[j];
                            }
                        }
                    }
                    at += 8L * m;
                    i += m;
                }
            }
            done += n;
        }
        int actual = (int) crc.getValue();
        if (actual != expectedCrc) {
            throw corrupt(file, Reason.BODY_CHECKSUM, String.format("its body checksum is %08x, the header says %08x", actual, expectedCrc));
        }
        if (unsortedAt >= 0) {
            throw corrupt(file, Reason.UNSORTED, "its keys are not strictly ascending at entry " + unsortedAt + " (" + last
                    + " then " + keys.array[unsortedAt] + ")");
        }
        return new Image(keys.array, values.array);
    }

    /** An array that grows, by doubling, towards a final length it never exceeds. */
    private static final class Growing {
        private final int length;
        long[] array;

        Growing(int length) {
            this.length = length;
            this.array = new long[Math.min(length, BLOCK)];
        }

        void ensure(int needed) {
            if (needed > array.length) {
                array = Arrays.copyOf(array, (int) Math.min(length, Math.max(needed, 2L * array.length)));
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        int start = b.position();
        while (b.hasRemaining()) {
            int r = ch.read(b, position + b.position() - start);
            if (r < 0) {
                throw new EOFException("no byte at " + (position + b.position() - start));
            }
        }
    }

    private static CorruptIndexException corrupt(Path file, Reason reason, String detail) {
        return new CorruptIndexException(file, reason, detail, REMEDY);
    }
}
