/**
 * A Kafka Streams key-value state store over cobtree: {@code CobTreeStores.keyValueStore(name)}
 * is a {@code KeyValueBytesStoreSupplier} for {@code Stores.keyValueStoreBuilder}. Kafka Streams
 * is provided by the application (its jars are automatic modules); RoaringBitmap is the result
 * type of {@code IdBitmapQuery} and is read transitively.
 */
module dev.cobtree.kafka {
    requires transitive dev.cobtree.core;
    requires transitive kafka.streams;
    requires transitive kafka.clients;
    requires transitive roaringbitmap;

    exports dev.cobtree.kafka;
}
