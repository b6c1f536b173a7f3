package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Damages a good file in one of many ways, for the corruption fuzzers. Each mutation really
 * changes the file; some keep the header checksum valid on purpose, to reach the checks behind
 * it, and then say which reason the reader must give.
 */
record FileMutation(String description, byte[] bytes, Reason expected) {

    /** Where the checksummed header is, and which header fields mean what. */
    record Format(int headerBytes, int headerCrcAt, int versionAt, int flagsAt, int countAt, int headerSizeAt) {
    }

    static final Format CELL_FILE = new Format(4096, 4092, 8, 28, 32, 12);
    static final Format CHECKPOINT = new Format(64, 60, 8, -1, 16, 12);

    static FileMutation random(byte[] good, Format f, SplittableRandom rnd) {
        byte[] b = good.clone();
        int n = b.length;
        int kind = rnd.nextInt(13);
        switch (kind) {
            case 0 -> {
                int at = rnd.nextInt(n);
                int bit = rnd.nextInt(8);
                b[at] ^= (byte) (1 << bit);
                return new FileMutation("flip bit " + bit + " of byte " + at, b, null);
            }
            case 1 -> {
                int flips = 2 + rnd.nextInt(15);
                for (int i = 0; i < flips; i++) {
                    int at = rnd.nextInt(n);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                return changedOr(good, b, "flip " + flips + " random bits", rnd, f);
            }
            case 2 -> {
                int at = rnd.nextInt(n);
                b[at] = (byte) (b[at] + 1 + rnd.nextInt(255));
                return new FileMutation("set byte " + at + " to " + b[at], b, null);
            }
            case 3 -> {
                int len = 2 + rnd.nextInt(63);
                int at = rnd.nextInt(n - len);
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) rnd.nextInt(256);
                }
                return changedOr(good, b, "overwrite " + len + " bytes at " + at, rnd, f);
            }
            case 4 -> {
                int len = rnd.nextInt(n);
                return new FileMutation("truncate to " + len + " bytes", Arrays.copyOf(good, len), null);
            }
            case 5 -> {
                int extra = 1 + rnd.nextInt(4096);
                byte[] longer = Arrays.copyOf(good, n + extra);
                for (int i = n; i < longer.length; i++) {
                    longer[i] = (byte) rnd.nextInt(256);
                }
                return new FileMutation("append " + extra + " bytes", longer, Reason.TRUNCATED);
            }
            case 6 -> {
                int at = rnd.nextInt(f.headerBytes());
                b[at] ^= (byte) (1 << rnd.nextInt(8));
                return new FileMutation("flip a bit of header byte " + at, b, null);
            }
            case 7 -> {
                int v = rnd.nextInt();
                if (v == 1) {
                    v = 2;
                }
                le(b).putInt(f.versionAt(), v);
                fixHeaderCrc(b, f);
                return new FileMutation("version " + v + " with a valid header checksum", b, Reason.VERSION);
            }
            case 8 -> {
                le(b).putLong(f.countAt(), le(b).getLong(f.countAt()) + 1 + rnd.nextInt(1000));
                fixHeaderCrc(b, f);
                return new FileMutation("size field changed with a valid header checksum", b, null);
            }
            case 9 -> {
                le(b).putInt(f.headerSizeAt(), f.headerBytes() * 2);
                fixHeaderCrc(b, f);
                return new FileMutation("header size field changed with a valid header checksum", b, Reason.LAYOUT);
            }
            case 10 -> {
                if (f.flagsAt() >= 0) {
                    le(b).putInt(f.flagsAt(), 0);
                    fixHeaderCrc(b, f);
                    return new FileMutation("clean flag cleared with a valid header checksum", b, Reason.UNCLEAN_SHUTDOWN);
                }
                int at = f.headerBytes() + rnd.nextInt(n - f.headerBytes());
                b[at] ^= 0x40;
                return new FileMutation("flip a bit of body byte " + at, b, Reason.BODY_CHECKSUM);
            }
            case 11 -> {
                int words = (n - f.headerBytes()) / 8;
                for (int tries = 0; tries < 100; tries++) {
                    int i = f.headerBytes() + 8 * rnd.nextInt(words);
                    int j = f.headerBytes() + 8 * rnd.nextInt(words);
                    if (le(b).getLong(i) != le(b).getLong(j)) {
                        long x = le(b).getLong(i);
                        le(b).putLong(i, le(b).getLong(j));
                        le(b).putLong(j, x);
                        return new FileMutation("swap body words at " + i + " and " + j, b, Reason.BODY_CHECKSUM);
                    }
                }
                throw new IllegalStateException("body words all equal");
            }
            default -> {
                int len = Math.min(4096, n - f.headerBytes());
                int at = f.headerBytes() + rnd.nextInt(n - f.headerBytes() - len + 1);
                Arrays.fill(b, at, at + len, (byte) 0);
                return changedOr(good, b, "zero " + len + " body bytes at " + at, rnd, f);
            }
        }
    }

    /** {@code b} if it differs from {@code good}, else another random mutation. */
    private static FileMutation changedOr(byte[] good, byte[] b, String what, SplittableRandom rnd, Format f) {
        return Arrays.equals(good, b) ? random(good, f, rnd) : new FileMutation(what, b, null);
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void fixHeaderCrc(byte[] b, Format f) {
        CRC32C c = new CRC32C();
        c.update(b, 0, f.headerCrcAt());
        le(b).putInt(f.headerCrcAt(), (int) c.getValue());
    }
}
