/**
 * Queries over a {@link dev.cobtree.core.CobTree}: range scans into primitive sinks and
 * {@code long[]} buffers ({@link dev.cobtree.query.RangeScan}, {@link dev.cobtree.query.RangeReader}),
 * strided and positional access ({@link dev.cobtree.query.StridedScan},
 * {@link dev.cobtree.query.Positions}), equi-depth histograms ({@link dev.cobtree.query.Histogram}),
 * and a secondary index ({@link dev.cobtree.query.SecondaryIndex}: key to row ids) whose range
 * queries come back as {@code RoaringBitmap}s, combined by {@link dev.cobtree.query.RowFilter} and
 * cached, never stale, by a {@link dev.cobtree.query.FilterCache}.
 *
 * <p>docs/QUERY.md in the repository states each operation's guarantee under concurrent writers
 * and its cost.
 */
package dev.cobtree.query;
