package dev.cobtree.bench;

import org.openjdk.jol.info.GraphStats;

import java.util.List;
import java.util.Locale;

/**
 * Memory per entry of the object-valued structures (issue 12), value objects not counted: after
 * {@code size} random puts of the shared values ({@link SharedValues}), the JOL graph walk of the
 * structure together with the value pool, minus the walk of the pool alone. So each structure is
 * charged its nodes, boxes, arrays and references, and no value object. {@code LongObjectTree}
 * is also measured by its own account, {@code memoryBytes()}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.cobtree.bench.ValuesFootprint [--sizes 1000000]}.
 */
public final class ValuesFootprint {

    private ValuesFootprint() {
    }

    public static void main(String[] args) {
        int[] sizes = {1_000_000};
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sizes")) {
                sizes = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: ValuesFootprint [--sizes N,N]");
            }
        }
        Object[] pool = SharedValues.pool();
        long poolBytes = GraphStats.parseInstance((Object) pool).totalSize();
        for (int size : sizes) {
            Keys keys = Keys.random(size, Keys.SEED);
            for (String impl : List.of("cobtree", "cslm", "treeMapRw", "avlRw")) {
                ObjectCandidate c = ObjectCandidates.build(impl.equals("cslm") ? "cslmFresh" : impl, keys.insertionOrder(), size);
                ObjectCandidates.checkSize(impl, c, size);
                if (c instanceof LongObjectTreeCandidate t) {
                    print(impl, size, "memoryBytes()", t.memoryBytes());
                }
                long bytes = GraphStats.parseInstance(c.footprintRoot(), pool).totalSize() - poolBytes;
                print(impl, size, "JOL, no values", bytes);
                c = null;
                System.gc();
            }
        }
    }

    private static void print(String impl, int size, String method, long bytes) {
        System.out.printf(Locale.ROOT, "%-10s %,11d entries  %-15s %,15d bytes  %7.2f bytes/entry%n",
                impl, size, method, bytes, bytes / (double) size);
    }
}
