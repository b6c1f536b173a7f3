/**
 * Micrometer binders for cobtree: {@code CobTreeMetrics} for an index and
 * {@code FilterCacheMetrics} for the query layer's cache. The query module is optional (read
 * statically): an application that binds a {@code FilterCache} has it.
 */
module dev.cobtree.micrometer {
    requires transitive dev.cobtree.core;
    requires static dev.cobtree.query;
    requires micrometer.core;

    exports dev.cobtree.micrometer;
}
