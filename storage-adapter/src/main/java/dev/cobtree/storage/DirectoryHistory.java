package dev.cobtree.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What an index directory remembers about itself, kept as a few text lines in its lock file
 * ({@code cobtree.lock}), which the owning factory holds open and locked:
 *
 * <pre>
 * highest=N   the greatest generation ever created here (generations never restart, even after
 *             deleteCellFiles, so a stale file copied back can never pass for the newest)
 * live=M      the generation the last clean close persisted; 0 after deleteCellFiles or before
 *             any clean close (then "no cell file" really is a new index)
 * </pre>
 * A lock file without these lines (an older build, or made by hand) is an empty history: the
 * directory is then judged by its cell files alone, as before.
 */
final class DirectoryHistory {

    private final FileChannel channel;
    private final Path file;
    private long highest;
    private long live;

    DirectoryHistory(FileChannel channel, Path file) {
        this.channel = channel;
        this.file = file;
        try {
            long size = Math.min(channel.size(), 4096);
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && channel.read(b, b.position()) >= 0) {
                // the whole (small) file
            }
            for (String line : new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("highest=")) {
                    highest = parse(line.substring(8));
                } else if (line.startsWith("live=")) {
                    live = parse(line.substring(5));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lock file " + file + ": " + e.getMessage(), e);
        }
    }

    private static long parse(String s) {
        try {
            return Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return 0; // garbage is no history
        }
    }

    long highest() {
        return highest;
    }

    long live() {
        return live;
    }

    /** Generation {@code g} is being created. Not forced: the cell file itself also carries its generation. */
    void created(long g) {
        highest = Math.max(highest, g);
        write(false);
    }

    /** Generation {@code g} was persisted by a clean close; forced like the clean flag it accompanies. */
    void closedClean(long g) {
        highest = Math.max(highest, g);
        live = g;
        write(true);
    }

    /** The cell files were deleted on purpose ({@code deleteCellFiles}): an empty directory is a new index again. */
    void cleared() {
        live = 0;
        write(true);
    }

    private void write(boolean force) {
        byte[] text = ("cobtree index directory lock: do not delete while an index is open\nhighest=" + highest + "\nlive=" + live + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            ByteBuffer b = ByteBuffer.wrap(text);
            while (b.hasRemaining()) {
                channel.write(b, b.position());
            }
            channel.truncate(text.length);
            if (force) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lock file " + file + ": " + e.getMessage(), e);
        }
    }
}
