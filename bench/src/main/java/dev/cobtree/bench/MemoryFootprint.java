package dev.cobtree.bench;

import org.openjdk.jol.info.GraphStats;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory per entry at steady state (after {@code size} random inserts), not a timing: builds each
 * structure and measures the bytes reachable from it with JOL ({@link GraphStats}, the same
 * walk and total as {@code GraphLayout.parseInstance(root).totalSize()}, without keeping every
 * object's address), and cobtree also by its own account, {@code CobTree.memoryBytes()}; the two
 * cobtree figures should agree within the few objects JOL also sees around the store.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.cobtree.bench.MemoryFootprint [--sizes 10000,1000000]
 * [--impls cobtree,cslmFresh] [--out FILE.tsv]}. The structures are built by random puts (the
 * bulk-load property of the benchmarks does not apply here). Prints a table and writes tab-separated lines
 * {@code impl size method bytes bytesPerEntry} for ReportWriter.
 */
public final class MemoryFootprint {

    /** One measurement. */
    record Row(String impl, int size, String method, long bytes) {
        double perEntry() {
            return bytes / (double) size;
        }
    }

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws IOException {
        int[] sizes = {10_000, 1_000_000};
        Path out = null;
        List<String> impls = List.of("cobtree", "cobtreeMap", "cslmFresh", "treeMapRw", "avl", "sortedArray");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--out" -> out = Path.of(args[++i]);
                case "--impls" -> impls = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: MemoryFootprint [--sizes N,N] [--impls cobtree,cslmFresh,...] [--out FILE]");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int size : sizes) {
            Keys keys = Keys.random(size, Keys.SEED);
            for (String impl : impls) {
                if (!Candidates.available(impl)) {
                    System.out.println("(skipping " + impl + ": not in this build)");
                    continue;
                }
                Candidate c = Candidates.build(impl, keys.insertionOrder(), size);
                ResultCheck.size(c, size);
                String name = impl.equals("cslmFresh") ? "cslm" : impl;
                if (c instanceof CobTreeCandidate t) {
                    rows.add(print(new Row(name, size, "memoryBytes()", t.memoryBytes())));
                }
                rows.add(print(new Row(name, size, "JOL", GraphStats.parseInstance(c.footprintRoot()).totalSize())));
                c = null;
                System.gc();
            }
        }
        if (out != null) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
                w.println("impl\tsize\tmethod\tbytes\tbytesPerEntry");
                for (Row r : rows) {
                    w.printf(Locale.ROOT, "%s\t%d\t%s\t%d\t%.2f%n", r.impl(), r.size(), r.method(), r.bytes(), r.perEntry());
                }
            }
        }
    }

    private static Row print(Row r) {
        System.out.printf(Locale.ROOT, "%-12s %,11d entries  %-14s %,15d bytes  %7.2f bytes/entry%n",
                r.impl(), r.size(), r.method(), r.bytes(), r.perEntry());
        return r;
    }
}
