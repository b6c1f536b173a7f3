package dev.cobtree.query.codec;

import java.util.Objects;
import java.util.UUID;

/**
 * {@link UUID} by its most significant 64 bits, read as a signed {@code long}: not exact.
 * {@link UUID#compareTo} compares the most significant bits as signed longs first, then the
 * least significant ones, so this key is that order with the second comparison dropped:
 * {@code a.compareTo(b) < 0} implies {@code encode(a) <= encode(b)}. (Signed, as the JDK
 * compares; it is not the unsigned byte order of RFC 9562, in which a UUID with its top bit set
 * sorts last.) UUIDs that share their high bits share a key: random (version 4) UUIDs have 60
 * random bits there, so collisions are rare but possible, and time-ordered (version 7) UUIDs
 * created in the same millisecond share 48 of them. Every query on such keys must verify the
 * candidate rows against the full UUID.
 */
final class UuidHighBitsCodec implements KeyCodec<UUID> {

    static final UuidHighBitsCodec INSTANCE = new UuidHighBitsCodec();

    private UuidHighBitsCodec() {
    }

    @Override
    public long encode(UUID value) {
        return Objects.requireNonNull(value, "value").getMostSignificantBits();
    }

    @Override
    public UUID decode(long key) {
        throw new UnsupportedOperationException("the UUID codec keeps only the high 64 bits: it cannot decode key " + key);
    }

    @Override
    public boolean isExact() {
        return false;
    }

    @Override
    public long minKey() {
        return Long.MIN_VALUE;
    }

    @Override
    public long maxKey() {
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "KeyCodec[UUID high 64 bits, inexact]";
    }
}
