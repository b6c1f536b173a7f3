package dev.cobtree.micrometer;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Binds one {@link CobTree}'s statistics to a {@link MeterRegistry}, every meter tagged
 * {@code index=<name>} (as Micrometer's cache binders tag {@code cache=<name>}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>unit</th><th>what</th></tr>
 *   <tr><td>{@code cobtree.size}</td><td>gauge</td><td>entries</td><td>entries in the index</td></tr>
 *   <tr><td>{@code cobtree.memory.used}</td><td>gauge</td><td>bytes</td><td>bytes the index holds, cells and metadata</td></tr>
 *   <tr><td>{@code cobtree.capacity}</td><td>gauge</td><td>cells</td><td>cells allocated by the current store</td></tr>
 *   <tr><td>{@code cobtree.resizes}</td><td>counter</td><td></td><td>array replacements (grow or shrink)</td></tr>
 *   <tr><td>{@code cobtree.rebalances}</td><td>counter</td><td></td><td>window rebalances</td></tr>
 *   <tr><td>{@code cobtree.rebalance.cells.moved}</td><td>counter</td><td>cells</td><td>cells those rebalances moved</td></tr>
 *   <tr><td>{@code cobtree.retries}</td><td>counter</td><td></td><td>tag {@code operation=write}: writes that started over;
 *       {@code operation=read}: reader snapshots taken again</td></tr>
 *   <tr><td>{@code cobtree.reclamation.backlog}</td><td>gauge</td><td>stores</td><td>retired stores not yet released</td></tr>
 *   <tr><td>{@code cobtree.reclamation.backlog.size}</td><td>gauge</td><td>bytes</td><td>bytes of those stores</td></tr>
 * </table>
 *
 * <p>The tree is held weakly: binding does not keep it alive. Once it is closed or collected the
 * gauges read {@code NaN} and the counters keep their last values. Each meter reads
 * {@link CobTree#statistics()} (a few counter sums, no lock) when the registry publishes.
 *
 * <pre>{@code
 * CobTreeMetrics.monitor(registry, tree, "orders-by-time");
 * }</pre>
 */
public final class CobTreeMetrics implements MeterBinder {

    private final WeakReference<CobTree> treeRef;
    private final Iterable<Tag> tags;
    private volatile CobTreeStatistics last; // what the counters report once the tree is gone

    /**
     * A binder for {@code tree}, its meters tagged {@code index=name} and with {@code tags}.
     * @param tree  the index to observe (held weakly)
     * @param name  the value of the {@code index} tag
     * @param tags  further tags for every meter
     */
    public CobTreeMetrics(CobTree tree, String name, Iterable<Tag> tags) {
        this.treeRef = new WeakReference<>(Objects.requireNonNull(tree, "tree"));
        this.tags = Tags.concat(tags, "index", Objects.requireNonNull(name, "name"));
    }

    /**
     * Binds {@code tree}'s meters to {@code registry} and returns the tree.
     * @param registry where the meters go
     * @param tree     the index to observe (held weakly)
     * @param name     the value of the {@code index} tag
     * @param tags     further tags, as key-value pairs
     * @return {@code tree}, unchanged
     */
    public static CobTree monitor(MeterRegistry registry, CobTree tree, String name, String... tags) {
        new CobTreeMetrics(tree, name, Tags.of(tags)).bindTo(registry);
        return tree;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "cobtree.size", "entries", "The number of entries in the index (exact when no writer is active)",
                CobTreeStatistics::size);
        gauge(registry, "cobtree.memory.used", "bytes", "The bytes the index holds, cells and metadata",
                CobTreeStatistics::memoryBytes);
        gauge(registry, "cobtree.capacity", "cells", "The cells allocated by the index's current store",
                CobTreeStatistics::capacity);
        counter(registry, "cobtree.resizes", null, Tags.empty(), "The times the index's array was replaced by a larger or smaller one",
                CobTreeStatistics::resizes);
        counter(registry, "cobtree.rebalances", null, Tags.empty(), "The window rebalances (a full segment spreading into its neighbours)",
                CobTreeStatistics::rebalances);
        counter(registry, "cobtree.rebalance.cells.moved", "cells", Tags.empty(), "The cells that window rebalances moved",
                CobTreeStatistics::rebalanceCellsMoved);
        counter(registry, "cobtree.retries", null, Tags.of("operation", "write"),
                "Writes that started over (operation=write) and reader snapshots taken again (operation=read) because of concurrent writers or a resize",
                CobTreeStatistics::writerRetries);
        counter(registry, "cobtree.retries", null, Tags.of("operation", "read"),
                "Writes that started over (operation=write) and reader snapshots taken again (operation=read) because of concurrent writers or a resize",
                CobTreeStatistics::readerRetries);
        gauge(registry, "cobtree.reclamation.backlog", "stores", "Retired stores waiting for readers before they are released",
                CobTreeStatistics::reclamationBacklogStores);
        gauge(registry, "cobtree.reclamation.backlog.size", "bytes", "The bytes of the retired stores not yet released",
                CobTreeStatistics::reclamationBacklogBytes);
        gauge(registry, "cobtree.snapshots.open", "snapshots", "Snapshots of the index open now",
                CobTreeStatistics::openSnapshots);
        gauge(registry, "cobtree.snapshots.preimages.size", "bytes",
                "The bytes of the segment pre-images open snapshots hold (what they cost beyond the live index)",
                CobTreeStatistics::snapshotPreImageBytes);
        gauge(registry, "cobtree.snapshots.held.stores", "stores", "Replaced stores that open snapshots still hold",
                CobTreeStatistics::snapshotHeldStorages);
    }

    /** The tree's statistics now, or null once it is closed or collected (then {@link #last} stays). */
    private CobTreeStatistics current() {
        CobTree tree = treeRef.get();
        if (tree == null) {
            return null;
        }
        try {
            CobTreeStatistics s = tree.statistics();
            last = s;
            return s;
        } catch (IllegalStateException closed) {
            return null;
        }
    }

    // The gauges hold this binder strongly (the binder holds the tree weakly), so the counters'
    // weak reference to it, Micrometer's default for function counters, stays valid while any of
    // this binder's meters is registered.
    private void gauge(MeterRegistry registry, String name, String unit, String description,
                       ToDoubleFunction<CobTreeStatistics> value) {
        Gauge.builder(name, this, m -> {
            CobTreeStatistics s = m.current();
            return s == null ? Double.NaN : value.applyAsDouble(s);
        }).tags(tags).baseUnit(unit).description(description).strongReference(true).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String unit, Tags extra, String description,
                         ToDoubleFunction<CobTreeStatistics> value) {
        FunctionCounter.builder(name, this, m -> {
            CobTreeStatistics s = m.current();
            if (s == null) s = m.last;
            return s == null ? 0 : value.applyAsDouble(s);
        }).tags(tags).tags(extra).baseUnit(unit).description(description).register(registry);
    }
}
