/**
 * cobtree's query layer: range scans, strided and positional access, histograms, a secondary
 * index whose answers are {@code RoaringBitmap}s (so RoaringBitmap's module, named
 * {@code roaringbitmap}, is read transitively), and a filter cache backed by Caffeine (an
 * implementation detail: no Caffeine type appears in this module's API).
 */
module dev.cobtree.query {
    requires transitive dev.cobtree.core;
    requires transitive roaringbitmap;
    requires com.github.benmanes.caffeine;

    exports dev.cobtree.query;
    exports dev.cobtree.query.codec;
}
