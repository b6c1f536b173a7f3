package dev.cobtree.core;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent}, {@code merge} and
 * {@code replaceAll} of {@link CobTreeMap} and its views, as compare-and-set retry loops over the
 * atomic primitives of {@link CobTree} ({@code get}, {@code putIfAbsent},
 * {@code replace(key, expected, update)}, {@code removeEntry}).
 *
 * <p>Each loop reads the key's current value, applies the caller's function without holding
 * anything, and installs the result only if the key still has the value that was read (or is
 * still absent); if a concurrent writer got there first it reads again and applies the function
 * again. So each call takes effect atomically, at the primitive that succeeded, exactly as
 * {@link java.util.concurrent.ConcurrentMap}'s contract asks; the function may run more than
 * once and must be free of side effects that matter, as with ConcurrentSkipListMap. A function
 * that throws leaves the map unchanged. Comparing values (not identities) means an A-B-A change
 * of a value between the read and the install is not noticed, which is still linearizable: the
 * function's input equals the value present at the install.
 */
final class CasRemapping {

    private CasRemapping() {
    }

    static Long computeIfAbsent(CobTree tree, long key, Long boxedKey, Function<? super Long, ? extends Long> fn) {
        KeyValue kv = new KeyValue();
        if (tree.get(key, kv)) {
            return kv.value;
        }
        Long v = fn.apply(boxedKey);
        if (v == null) {
            return null;
        }
        // A concurrent insert wins: report its value, as computeIfAbsent must.
        return tree.putIfAbsent(key, v, kv) ? kv.value : v;
    }

    static Long computeIfPresent(CobTree tree, long key, Long boxedKey,
                                 BiFunction<? super Long, ? super Long, ? extends Long> fn) {
        KeyValue kv = new KeyValue();
        while (tree.get(key, kv)) {
            long old = kv.value;
            Long v = fn.apply(boxedKey, old);
            if (installed(tree, key, old, v)) {
                return v;
            }
        }
        return null;
    }

    static Long compute(CobTree tree, long key, Long boxedKey,
                        BiFunction<? super Long, ? super Long, ? extends Long> fn) {
        KeyValue kv = new KeyValue();
        for (;;) {
            if (tree.get(key, kv)) {
                long old = kv.value;
                Long v = fn.apply(boxedKey, old);
                if (installed(tree, key, old, v)) {
                    return v;
                }
            } else {
                Long v = fn.apply(boxedKey, null);
                if (v == null) {
                    return null;
                }
                if (!tree.putIfAbsent(key, v, kv)) {
                    return v;
                }
            }
        }
    }

    static Long merge(CobTree tree, long key, Long value,
                      BiFunction<? super Long, ? super Long, ? extends Long> fn) {
        KeyValue kv = new KeyValue();
        for (;;) {
            if (tree.get(key, kv)) {
                long old = kv.value;
                Long v = fn.apply(old, value);
                if (installed(tree, key, old, v)) {
                    return v;
                }
            } else if (!tree.putIfAbsent(key, value, kv)) {
                return value;
            }
        }
    }

    /**
     * Installs a remapping of a present key: replaces {@code old} with {@code v}, or removes the
     * entry when {@code v} is null, in both cases only if the key still maps to {@code old}.
     * Returns false when a concurrent writer changed the key first (the caller reads again).
     */
    private static boolean installed(CobTree tree, long key, long old, Long v) {
        return v != null ? tree.replace(key, old, v) : tree.removeEntry(key, old);
    }

    /**
     * Replaces each entry of {@code range} with the function's result, each replacement a
     * compare-and-set on the value the function saw; an entry removed concurrently is skipped.
     *
     * @throws NullPointerException if the function returns null (entries before it stay replaced,
     *                              as in ConcurrentSkipListMap)
     */
    static void replaceAll(CobTree tree, KeyRange range, BiFunction<? super Long, ? super Long, ? extends Long> fn) {
        KeyValue kv = new KeyValue();
        CobTree.Cursor c = range.cursor(tree);
        while (c.next() && !range.pastEnd(c.key())) {
            long k = c.key();
            long v = c.value();
            for (;;) {
                Long r = fn.apply(k, v);
                if (r == null) {
                    throw new NullPointerException("replaceAll function returned null for key " + k);
                }
                if (tree.replace(k, v, r) || !tree.get(k, kv)) {
                    break;
                }
                v = kv.value;
            }
        }
    }
}
