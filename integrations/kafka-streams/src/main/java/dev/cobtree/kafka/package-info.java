/**
 * cobtree as a Kafka Streams state store.
 *
 * <p>{@link dev.cobtree.kafka.CobTreeStores#keyValueStore(String)} supplies a
 * {@code KeyValueStore<Bytes, byte[]>} over a {@code LongObjectTree<byte[]>} for keys of exactly
 * 8 bytes (a big-endian {@code long}, as {@code Serdes.Long()} writes it). Kafka orders keys by
 * their unsigned bytes; the store maps each key to a tree key by flipping the sign bit, so the
 * tree's signed order is Kafka's byte order and every range, prefix scan and count comes back in
 * it. Values are any {@code byte[]}. Build the user-facing store with
 * {@code Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde)} (or pass the supplier to
 * {@code Materialized.as}); Kafka adds its metering, caching and change-logging layers around it.
 *
 * <p>Beside Kafka's {@code KeyQuery} and {@code RangeQuery}, the store answers the interactive
 * queries {@link dev.cobtree.kafka.RangeCountQuery}, {@link dev.cobtree.kafka.RankQuery},
 * {@link dev.cobtree.kafka.SelectQuery} and {@link dev.cobtree.kafka.IdBitmapQuery}: counts,
 * ranks and positions in O(log n) from the tree's block counts, and a {@code RoaringBitmap} of
 * ids for a range. They pass through Kafka's wrappers unchanged. See docs/KAFKA.md.
 */
package dev.cobtree.kafka;
