package dev.cobtree.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Makes a directory's entries (a created, renamed or deleted file) durable, where the platform allows it. */
final class DirectorySync {

    private DirectorySync() {
    }

    /**
     * fsync of the directory itself: needed on Linux for a rename or a new file to survive a
     * power failure. Platforms that cannot open a directory (Windows) make renames durable by
     * themselves; there the attempt fails and is ignored.
     */
    static void fsync(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (e.g. Windows): nothing more can be done from Java
        }
    }
}
