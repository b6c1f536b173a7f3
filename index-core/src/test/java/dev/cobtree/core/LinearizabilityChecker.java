package dev.cobtree.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a recorded concurrent history of ordered-map operations is linearizable with
 * respect to a sequential {@link java.util.TreeMap}-like model over a small key universe.
 *
 * <h2>Algorithm</h2>
 * Wing and Gong's search (J. Parallel Distrib. Comput. 1993): build a linearization one operation
 * at a time; an operation may go next only if no pending operation responded before it was invoked
 * (and its thread's previous operation is placed), and only if the model, applied to it, returns
 * what the history recorded; backtrack on a dead end. Lowe's improvement (Concurrency Computat.:
 * Pract. Exper. 2017), also used by Horn and Kroening: memoise every visited pair (set of
 * linearized operations, model state); a pair seen before cannot lead anywhere new, because what
 * can still happen depends on nothing else. With at most 64 operations the set is a bit mask and
 * the state an array of values indexed by key, so a history of a few dozen operations is decided
 * in microseconds.
 *
 * <p>Timestamps are {@link System#nanoTime()} read just before the call (invoke) and just after it
 * returns (response), so the real linearization point lies inside {@code [invoke, response]}; the
 * checker treats {@code a} as preceding {@code b} only when {@code a.response < b.invoke}, so a
 * coarse clock can only make it more permissive, never reject a linearizable history.
 */
final class LinearizabilityChecker {

    /** The operations the model knows. */
    enum Kind {
        PUT, REMOVE, CEILING, FLOOR, HIGHER, LOWER, FIRST, LAST, IS_EMPTY, POLL_FIRST, POLL_LAST;

        boolean takesKey() {
            return ordinal() <= LOWER.ordinal();
        }
    }

    /** One call: what was asked, what came back, and when. */
    static final class Op {
        final int thread;
        final Kind kind;
        final long key;
        final long value;
        long invoke;
        long response;
        /** PUT/REMOVE: there was a previous value; navigation/polls: an entry came back; IS_EMPTY: true. */
        boolean found;
        long resultKey;
        long resultValue;

        Op(int thread, Kind kind, long key, long value) {
            this.thread = thread;
            this.kind = kind;
            this.key = key;
            this.value = value;
        }

        Op at(long invoke, long response) {
            this.invoke = invoke;
            this.response = response;
            return this;
        }

        /** Sets the outcome (for PUT/REMOVE only the value is meaningful). */
        Op returned(boolean found, long key, long value) {
            this.found = found;
            this.resultKey = key;
            this.resultValue = value;
            return this;
        }

        String call() {
            return switch (kind) {
                case PUT -> "put(" + key + ", " + value + ")";
                case REMOVE, CEILING, FLOOR, HIGHER, LOWER -> kind.name().toLowerCase() + "(" + key + ")";
                case FIRST -> "first()";
                case LAST -> "last()";
                case IS_EMPTY -> "isEmpty()";
                case POLL_FIRST -> "pollFirst()";
                case POLL_LAST -> "pollLast()";
            };
        }

        String result() {
            return switch (kind) {
                case PUT, REMOVE -> found ? String.valueOf(resultValue) : "null";
                case IS_EMPTY -> String.valueOf(found);
                default -> found ? resultKey + "=" + resultValue : "null";
            };
        }

        @Override
        public String toString() {
            return "T" + thread + " " + call() + " -> " + result();
        }
    }

    /** The verdict; on failure, the longest linearizable prefix found, for the report. */
    record Result(boolean linearizable, List<Op> linearization, List<Op> longestPrefix, long statesVisited) {
    }

    static final long ABSENT = Long.MIN_VALUE;

    private final long[] universe;
    private final long[] initial;

    /**
     * @param universe      the keys that writes may touch, strictly increasing
     * @param initialValues value of each universe key before the history, {@link #ABSENT} if none
     */
    LinearizabilityChecker(long[] universe, long[] initialValues) {
        for (int i = 1; i < universe.length; i++) {
            if (universe[i] <= universe[i - 1]) {
                throw new IllegalArgumentException("universe must be strictly increasing");
            }
        }
        this.universe = universe.clone();
        this.initial = initialValues.clone();
    }

    Result check(List<Op> history) {
        int n = history.size();
        if (n > 64) {
            throw new IllegalArgumentException("at most 64 operations per history, got " + n);
        }
        Search s = new Search(history);
        boolean ok = s.search(0L, initial, 0);
        List<Op> order = new ArrayList<>();
        for (int i = 0; i < (ok ? n : 0); i++) {
            order.add(history.get(s.order[i]));
        }
        List<Op> prefix = new ArrayList<>();
        for (int i = 0; i < s.bestDepth; i++) {
            prefix.add(history.get(s.best[i]));
        }
        return new Result(ok, order, prefix, s.memo.size());
    }

    private final class Search {
        final Op[] ops;
        final int[] previousInThread;
        final int[] order;
        final int[] best;
        int bestDepth;
        final long all;
        final Set<Visited> memo = new HashSet<>();

        Search(List<Op> history) {
            ops = history.toArray(new Op[0]);
            int n = ops.length;
            previousInThread = new int[n];
            order = new int[n];
            best = new int[n];
            all = n == 64 ? -1L : (1L << n) - 1;
            // program order: each thread's operations by invocation time (ties by position)
            Integer[] byTime = new Integer[n];
            for (int i = 0; i < n; i++) {
                byTime[i] = i;
            }
            Arrays.sort(byTime, (a, b) -> ops[a].invoke != ops[b].invoke ? Long.compare(ops[a].invoke, ops[b].invoke) : Integer.compare(a, b));
            Arrays.fill(previousInThread, -1);
            for (int x = 0; x < n; x++) {
                for (int y = x - 1; y >= 0; y--) {
                    if (ops[byTime[y]].thread == ops[byTime[x]].thread) {
                        previousInThread[byTime[x]] = byTime[y];
                        break;
                    }
                }
            }
        }

        boolean search(long done, long[] state, int depth) {
            if (done == all) {
                return true;
            }
            if (!memo.add(new Visited(done, state))) {
                return false;
            }
            long minResponse = Long.MAX_VALUE;
            for (int i = 0; i < ops.length; i++) {
                if ((done & (1L << i)) == 0) {
                    minResponse = Math.min(minResponse, ops[i].response);
                }
            }
            for (int i = 0; i < ops.length; i++) {
                long bit = 1L << i;
                if ((done & bit) != 0 || ops[i].invoke > minResponse) {
                    continue; // placed already, or some pending operation responded before i began
                }
                int p = previousInThread[i];
                if (p >= 0 && (done & (1L << p)) == 0) {
                    continue;
                }
                long[] next = apply(ops[i], state);
                if (next == null) {
                    continue;
                }
                order[depth] = i;
                if (depth + 1 > bestDepth) {
                    bestDepth = depth + 1;
                    System.arraycopy(order, 0, best, 0, depth + 1);
                }
                if (search(done | bit, next, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Visited(long done, long[] state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Visited v && v.done == done && Arrays.equals(v.state, state);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(done) * 31 + Arrays.hashCode(state);
        }
    }

    // ---- the sequential model -------------------------------------------------------------------

    /** The state after {@code op}, or null if the model would not return what {@code op} recorded. */
    long[] apply(Op op, long[] state) {
        switch (op.kind) {
            case PUT -> {
                int i = index(op.key);
                if (!matchesValue(op, state[i])) {
                    return null;
                }
                long[] next = state.clone();
                next[i] = op.value;
                return next;
            }
            case REMOVE -> {
                int i = index(op.key);
                if (!matchesValue(op, state[i])) {
                    return null;
                }
                if (state[i] == ABSENT) {
                    return state;
                }
                long[] next = state.clone();
                next[i] = ABSENT;
                return next;
            }
            case IS_EMPTY -> {
                boolean empty = true;
                for (long v : state) {
                    empty &= v == ABSENT;
                }
                return op.found == empty ? state : null;
            }
            case POLL_FIRST, POLL_LAST -> {
                int i = op.kind == Kind.POLL_FIRST ? ceilingIndex(state, Long.MIN_VALUE) : floorIndex(state, Long.MAX_VALUE);
                if (!matchesEntry(op, state, i)) {
                    return null;
                }
                if (i < 0) {
                    return state;
                }
                long[] next = state.clone();
                next[i] = ABSENT;
                return next;
            }
            default -> {
                int i = switch (op.kind) {
                    case CEILING -> ceilingIndex(state, op.key);
                    case HIGHER -> op.key == Long.MAX_VALUE ? -1 : ceilingIndex(state, op.key + 1);
                    case FLOOR -> floorIndex(state, op.key);
                    case LOWER -> op.key == Long.MIN_VALUE ? -1 : floorIndex(state, op.key - 1);
                    case FIRST -> ceilingIndex(state, Long.MIN_VALUE);
                    case LAST -> floorIndex(state, Long.MAX_VALUE);
                    default -> throw new AssertionError(op.kind);
                };
                return matchesEntry(op, state, i) ? state : null;
            }
        }
    }

    private static boolean matchesValue(Op op, long previous) {
        return previous == ABSENT ? !op.found : op.found && op.resultValue == previous;
    }

    private boolean matchesEntry(Op op, long[] state, int i) {
        return i < 0 ? !op.found : op.found && op.resultKey == universe[i] && op.resultValue == state[i];
    }

    private int ceilingIndex(long[] state, long key) {
        for (int i = 0; i < universe.length; i++) {
            if (universe[i] >= key && state[i] != ABSENT) {
                return i;
            }
        }
        return -1;
    }

    private int floorIndex(long[] state, long key) {
        for (int i = universe.length - 1; i >= 0; i--) {
            if (universe[i] <= key && state[i] != ABSENT) {
                return i;
            }
        }
        return -1;
    }

    private int index(long key) {
        int i = Arrays.binarySearch(universe, key);
        if (i < 0) {
            throw new IllegalArgumentException("key " + key + " is outside the checker's universe " + Arrays.toString(universe));
        }
        return i;
    }

    /** The history as a table, times relative to the first invocation, for failure messages. */
    static String format(List<Op> history) {
        long t0 = Long.MAX_VALUE;
        for (Op op : history) {
            t0 = Math.min(t0, op.invoke);
        }
        List<Op> sorted = new ArrayList<>(history);
        sorted.sort((a, b) -> a.thread != b.thread ? Integer.compare(a.thread, b.thread) : Long.compare(a.invoke, b.invoke));
        StringBuilder sb = new StringBuilder();
        for (Op op : sorted) {
            sb.append(String.format("%n    T%d [%,9d .. %,9d ns] %-18s -> %s", op.thread, op.invoke - t0, op.response - t0, op.call(), op.result()));
        }
        return sb.toString();
    }
}
