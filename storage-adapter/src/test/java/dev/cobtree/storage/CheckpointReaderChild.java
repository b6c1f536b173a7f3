package dev.cobtree.storage;

import java.nio.file.Path;

/**
 * Child JVM of {@link HostileCheckpointTest}: reads a checkpoint once ({@code once <file>}) or
 * again and again for a while ({@code loop <file> <millis>}), printing what each read ended with.
 * Exit 0: every read returned or threw an exception; exit 3: an {@link Error} (out of memory).
 * A read killed by a signal (SIGBUS) never gets to exit by itself.
 */
public final class CheckpointReaderChild {

    private CheckpointReaderChild() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[1]);
        long until = args[0].equals("loop") ? System.nanoTime() + Long.parseLong(args[2]) * 1_000_000 : 0;
        int reads = 0;
        int refused = 0;
        do {
            try {
                CheckpointFile.read(file);
            } catch (CorruptIndexException e) {
                refused++;
                if (args[0].equals("once")) {
                    System.out.println("REFUSED " + e.reason() + " " + e.getMessage());
                }
            } catch (RuntimeException e) {
                refused++;
                System.out.println("EXCEPTION " + e);
            } catch (Error e) {
                System.out.println("ERROR " + e);
                System.exit(3);
            }
            reads++;
        } while (System.nanoTime() < until);
        System.out.println("DONE " + reads + " reads, " + refused + " refused");
    }
}
