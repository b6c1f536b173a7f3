package dev.cobtree.kafka;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * Factories of cobtree state stores for Kafka Streams, in the manner of Kafka's {@code Stores}:
 * pass the supplier to {@code Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde)} or to
 * {@code Materialized.as(supplier)}. The key serde must write 8 bytes ({@code Serdes.Long()}).
 */
public final class CobTreeStores {
    private CobTreeStores() {
    }

    /** A supplier of in-memory cobtree key-value stores named {@code name}, 128-cell segments. */
    public static KeyValueBytesStoreSupplier keyValueStore(String name) {
        return new CobTreeKeyValueBytesStoreSupplier(name, 128);
    }

    /**
     * As {@link #keyValueStore(String)} with {@code segmentSize} cells per segment (a power of
     * two in [8, 4096]).
     *
     * @throws IllegalArgumentException for another segment size
     */
    public static KeyValueBytesStoreSupplier keyValueStore(String name, int segmentSize) {
        return new CobTreeKeyValueBytesStoreSupplier(name, segmentSize);
    }
}
