package dev.cobtree.query;

import dev.cobtree.core.LongLongReads;
import dev.cobtree.core.LongObjectReads;

/**
 * The query layer reads every tree through {@link LongLongReads} or {@link LongObjectReads}: a live
 * tree or a snapshot of it, so a query over a snapshot runs the same code as over the live tree
 * (only the source differs). This is the one check those reads share.
 */
final class Sources {

    private Sources() {
    }

    /** @throws IllegalStateException naming the source ("CobTree is closed", "CobTreeSnapshot is closed") if it is closed */
    static void checkOpen(LongLongReads source) {
        if (source.isClosed()) {
            throw new IllegalStateException(source.getClass().getSimpleName() + " is closed");
        }
    }

    /** @throws IllegalStateException naming the source if it is closed */
    static void checkOpen(LongObjectReads<?> source) {
        if (source.isClosed()) {
            throw new IllegalStateException(source.getClass().getSimpleName() + " is closed");
        }
    }
}
