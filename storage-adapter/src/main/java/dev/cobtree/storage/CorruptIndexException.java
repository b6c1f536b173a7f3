package dev.cobtree.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file of a cobtree index (a mapped cell file or a checkpoint) cannot be trusted, so it is not
 * opened. Nothing is served from such a file: the store or image is never returned.
 *
 * <p>The message names the file, says what is wrong and what to do about it (rebuild the index
 * from the table it indexes, or restore a checkpoint); {@link #reason()} says the same for code.
 */
public final class CorruptIndexException extends UncheckedIOException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the file. */
    public enum Reason {
        /** The process that had the file open stopped without closing it (a crash, a kill, or {@code close()} without persistence). */
        UNCLEAN_SHUTDOWN,
        /** The file is shorter or longer than its header says. */
        TRUNCATED,
        /** The file is not a cobtree file of this kind (wrong magic number). */
        FOREIGN,
        /** The file was written by an incompatible format version. */
        VERSION,
        /** The header's fields contradict each other or this build (cell layout, sizes). */
        LAYOUT,
        /** The header's checksum does not match its bytes. */
        HEADER_CHECKSUM,
        /** The body's checksum does not match its bytes. */
        BODY_CHECKSUM,
        /** A checkpoint's keys are not strictly ascending. */
        UNSORTED,
        /** The file could not be read at all. */
        UNREADABLE,
        /** The cells pass their checksum but do not form an index (keys out of order, gaps, misplaced extreme keys, cell words no clean close leaves, an entry count that disagrees). */
        STRUCTURE,
        /** The directory's history names a generation that is gone (the live cell file was deleted or replaced by an older one). */
        MISSING,
        /** The generation in the file's header is not the one in its name (a file copied or renamed from elsewhere). */
        RENAMED
    }

    /**
     * What to do about a refused cell file whose contents cannot be trusted. (A file that cannot
     * be opened for lack of permissions is not refused this way: it may well be intact.)
     */
    public static final String CELL_FILE_REMEDY = "Rebuild the index from the table it indexes, or restore it from a checkpoint "
            + "(CheckpointFile.read); to start over without this file, delete the cells-*.cob files of the directory "
            + "(MappedCellStoreFactory.deleteCellFiles)";

    private final transient Path file;
    private final Reason reason;

    public CorruptIndexException(Path file, Reason reason, String detail, String remedy) {
        this(file, reason, detail, remedy, null);
    }

    public CorruptIndexException(Path file, Reason reason, String detail, String remedy, IOException cause) {
        super(message(file, reason, detail, remedy), cause != null ? cause : new IOException(detail));
        this.file = file;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private static String message(Path file, Reason reason, String detail, String remedy) {
        return "cobtree refuses to open " + (file != null ? file : "the recovered store") + " (" + reason + "): " + detail + ". " + remedy;
    }

    /** The file that was refused. */
    public Path file() {
        return file;
    }

    public Reason reason() {
        return reason;
    }
}
