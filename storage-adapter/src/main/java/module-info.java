/**
 * cobtree's storage: the {@code CellStore} SPI and its heap, off-heap and memory-mapped stores.
 * Logs through the SLF4J API only (the application binds a backend, or none).
 */
module dev.cobtree.storage {
    requires org.slf4j;

    exports dev.cobtree.storage;
}
