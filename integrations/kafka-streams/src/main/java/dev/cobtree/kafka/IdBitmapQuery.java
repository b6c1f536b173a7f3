package dev.cobtree.kafka;

import org.apache.kafka.streams.query.Query;
import org.roaringbitmap.RoaringBitmap;

import java.util.Objects;

/**
 * IQv2 query: the ids of the entries in a range as a {@link RoaringBitmap}, each id computed by
 * {@link IdOf} from the entry's key (as the {@code long} {@code Serdes.Long()} reads) and value.
 * The range is scanned once, straight from the tree's segment snapshots (weakly consistent, as a
 * range iterator). Bitmaps from several instances merge by {@code RoaringBitmap.or}.
 *
 * <p>IQv2 queries run in the instance that holds the store, so the function need not be
 * serialisable; an application that sends queries between instances sends the range and picks
 * the function on the receiving side.
 */
public final class IdBitmapQuery implements Query<RoaringBitmap> {

    /** The id of one entry. */
    @FunctionalInterface
    public interface IdOf {
        int id(long key, byte[] value);
    }

    private final KeyRange range;
    private final IdOf idOf;

    private IdBitmapQuery(KeyRange range, IdOf idOf) {
        this.range = range;
        this.idOf = idOf;
    }

    public static IdBitmapQuery of(KeyRange range, IdOf idOf) {
        return new IdBitmapQuery(Objects.requireNonNull(range, "range"), Objects.requireNonNull(idOf, "idOf"));
    }

    public KeyRange range() {
        return range;
    }

    public IdOf idOf() {
        return idOf;
    }

    @Override
    public String toString() {
        return "IdBitmapQuery" + range;
    }
}
