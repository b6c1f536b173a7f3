/**
 * cobtree's index: {@code CobTree} (the primitive API) and {@code CobTreeMap} (a
 * {@code ConcurrentNavigableMap<Long, Long>}). The engine's classes are package-private in the
 * one exported package. Its API names storage types (store factories, {@code CorruptIndexException}),
 * so the storage module is read transitively.
 */
module dev.cobtree.core {
    requires transitive dev.cobtree.storage;
    requires org.slf4j;

    exports dev.cobtree.core;
}
