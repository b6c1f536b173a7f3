import dev.cobtree.core.CobTree;

public class PutDriver {
    /** Random removes of every key of a tree built by random puts; returns ns per remove. */
    public static double randomRemove(long[] keys) {
        CobTree t = CobTree.builder().build();
        for (int i = 0; i < keys.length; i++) t.put(keys[i], i, -1);
        long t0 = System.nanoTime();
        for (int i = keys.length - 1; i >= 0; i--) t.remove(keys[i], -1);
        long ns = System.nanoTime() - t0;
        t.close();
        return (double) ns / keys.length;
    }

    /** Ascending puts of the sorted keys into a fresh tree; returns ns per put. */
    public static double ascendingPut(long[] keys) {
        long[] sorted = keys.clone();
        java.util.Arrays.sort(sorted);
        CobTree t = CobTree.builder().build();
        long t0 = System.nanoTime();
        for (int i = 0; i < sorted.length; i++) t.put(sorted[i], i, -1);
        long ns = System.nanoTime() - t0;
        t.close();
        return (double) ns / sorted.length;
    }

    /** Random puts of keys into a fresh tree; returns ns per put. */
    public static double randomPut(long[] keys) {
        CobTree t = CobTree.builder().build();
        long t0 = System.nanoTime();
        for (int i = 0; i < keys.length; i++) t.put(keys[i], i, -1);
        long ns = System.nanoTime() - t0;
        t.close();
        return (double) ns / keys.length;
    }
}
