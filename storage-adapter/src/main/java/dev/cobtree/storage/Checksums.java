package dev.cobtree.storage;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/** CRC32C over memory segments of any size (the JDK's intrinsic works on direct buffers of at most 2 GiB). */
final class Checksums {

    private static final long CHUNK = 64L << 20;

    private Checksums() {
    }

    /** Adds {@code bytes} to {@code crc}, chunk by chunk. */
    static void update(CRC32C crc, MemorySegment bytes) {
        long size = bytes.byteSize();
        for (long at = 0; at < size; at += CHUNK) {
            crc.update(bytes.asSlice(at, Math.min(CHUNK, size - at)).asByteBuffer());
        }
    }

    /** The CRC32C of {@code bytes}. */
    static int crc32c(MemorySegment bytes) {
        CRC32C crc = new CRC32C();
        update(crc, bytes);
        return (int) crc.getValue();
    }
}
