/**
 * The concurrent cache-oblivious B-tree: an ordered {@code long -> long} index.
 *
 * <ul>
 *   <li>{@link dev.cobtree.core.CobTree}: the primitive API (no boxing): point reads and writes,
 *       navigation, cursors, linearizable range counts, bulk loads, checkpoints;</li>
 *   <li>{@link dev.cobtree.core.CobTreeMap}: the same index as a
 *       {@code java.util.concurrent.ConcurrentNavigableMap<Long, Long>};</li>
 *   <li>{@link dev.cobtree.core.KeyValue} and {@link dev.cobtree.core.LongLongConsumer}: the
 *       holder and callback the primitive API reads into.</li>
 * </ul>
 *
 * <p>Readers never lock and never write shared memory; writers lock single segments and
 * rebalance by moving cells; the array grows and shrinks by read-copy-update. Every other class
 * of this package is the engine and is not part of the API. docs/CONCURRENCY.md in the
 * repository gives the protocol and its proof sketch, docs/MAP.md the map view's guarantees.
 */
package dev.cobtree.core;
