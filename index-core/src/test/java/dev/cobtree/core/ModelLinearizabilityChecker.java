package dev.cobtree.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * A sibling of {@link LinearizabilityChecker} for arbitrary operations (redteam): every operation
 * carries its own sequential specification, a function applied to a {@link ConcurrentSkipListMap}
 * model (so views, conditional writes, compute/merge, counts and exceptions are specified by the
 * reference implementation itself). Results are compared after {@link #norm normalisation} (entries
 * as "k=v", exceptions by class name, numbers by value). The model state is one long per universe
 * key ({@link #ABSENT} if absent) plus a closed flag: once a {@code close} op is linearized, every
 * later op must throw {@link IllegalStateException}.
 */
final class ModelLinearizabilityChecker {

    static final long ABSENT = Long.MIN_VALUE;
    static final String ISE = "IllegalStateException";

    /** One call: name for reports, how to run it on the target, and its sequential specification. */
    static final class Op {
        final int thread;
        final String name;
        final Function<Object, Object> real;
        /** null for close(). */
        final Function<NavigableMap<Long, Long>, Object> model;
        long invoke;
        long response;
        Object result;

        Op(int thread, String name, Function<Object, Object> real, Function<NavigableMap<Long, Long>, Object> model) {
            this.thread = thread;
            this.name = name;
            this.real = real;
            this.model = model;
        }

        boolean isClose() {
            return model == null;
        }

        void run(Object target) {
            Object r;
            try {
                r = real.apply(target);
            } catch (Throwable e) {
                r = e;
            }
            result = norm(r);
        }

        @Override
        public String toString() {
            return "T" + thread + " " + name + " -> " + result;
        }
    }

    record Result(boolean linearizable, List<Op> longestPrefix) {
    }

    static Object norm(Object r) {
        if (r == null) {
            return "null";
        }
        if (r instanceof Throwable t) {
            return t.getClass().getSimpleName();
        }
        if (r instanceof Map.Entry<?, ?> e) {
            return e.getKey() + "=" + e.getValue();
        }
        if (r instanceof Collection<?> c) {
            List<Object> l = new ArrayList<>();
            for (Object o : c) {
                l.add(norm(o));
            }
            return l.toString();
        }
        if (r instanceof Number n) {
            return "#" + n.longValue();
        }
        return String.valueOf(r);
    }

    private final long[] universe;
    private final long[] initial;

    ModelLinearizabilityChecker(long[] universe, long[] initialValues) {
        this.universe = universe.clone();
        this.initial = Arrays.copyOf(initialValues, universe.length + 1); // last slot: closed flag
        this.initial[universe.length] = 0;
    }

    Result check(List<Op> history) {
        int n = history.size();
        if (n > 64) {
            throw new IllegalArgumentException("at most 64 operations");
        }
        Search s = new Search(history);
        boolean ok = s.search(0L, initial, 0);
        List<Op> prefix = new ArrayList<>();
        for (int i = 0; i < s.bestDepth; i++) {
            prefix.add(history.get(s.best[i]));
        }
        return new Result(ok, prefix);
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
            Arrays.fill(previousInThread, -1);
            for (int x = 0; x < n; x++) {
                int prev = -1;
                for (int y = 0; y < n; y++) {
                    if (ops[y].thread == ops[x].thread && ops[y].invoke < ops[x].invoke
                            && (prev < 0 || ops[y].invoke > ops[prev].invoke)) {
                        prev = y;
                    }
                }
                previousInThread[x] = prev;
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
                    continue;
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

    /** The state after op, or null if the model would not return what op recorded. */
    long[] apply(Op op, long[] state) {
        int u = universe.length;
        if (state[u] != 0) {
            // closed: every call throws ISE (close itself is idempotent); an argument error the open
            // model raises too (IAE/NPE: arguments are checked first, documented) is accepted
            if (op.isClose()) {
                return "null".equals(op.result) || ISE.equals(op.result) ? state : null;
            }
            if (ISE.equals(op.result)) {
                return state;
            }
            if (!"IllegalArgumentException".equals(op.result) && !"NullPointerException".equals(op.result)) {
                return null;
            }
            long[] open = state.clone();
            open[u] = 0;
            return apply(op, open) != null ? state : null;
        }
        if (op.isClose()) {
            if (!"null".equals(op.result)) {
                return null;
            }
            long[] next = state.clone();
            next[u] = 1;
            return next;
        }
        ConcurrentSkipListMap<Long, Long> m = new ConcurrentSkipListMap<>();
        for (int i = 0; i < u; i++) {
            if (state[i] != ABSENT) {
                m.put(universe[i], state[i]);
            }
        }
        Object r;
        try {
            r = op.model.apply(m);
        } catch (Throwable e) {
            r = e;
        }
        if (!norm(r).equals(op.result)) {
            return null;
        }
        long[] next = new long[u + 1];
        for (int i = 0; i < u; i++) {
            Long v = m.get(universe[i]);
            next[i] = v == null ? ABSENT : v;
        }
        if (m.size() != Arrays.stream(next, 0, u).filter(v -> v != ABSENT).count()) {
            throw new IllegalStateException("an op wrote a key outside the universe: " + op.name + " " + m);
        }
        return Arrays.equals(next, state) ? state : next;
    }

    /** For reports: the ops in invocation order applied to the model, with the first mismatch. */
    String sequentialExplanation(List<Op> history) {
        List<Op> sorted = new ArrayList<>(history);
        sorted.sort((a, b) -> Long.compare(a.invoke, b.invoke));
        long[] state = initial;
        StringBuilder sb = new StringBuilder();
        for (Op op : sorted) {
            long[] next = apply(op, state);
            if (next == null) {
                ConcurrentSkipListMap<Long, Long> m = new ConcurrentSkipListMap<>();
                for (int i = 0; i < universe.length; i++) {
                    if (state[i] != ABSENT) {
                        m.put(universe[i], state[i]);
                    }
                }
                Object r;
                try {
                    r = op.isClose() ? null : op.model.apply(m);
                } catch (Throwable e) {
                    r = e;
                }
                return sb.append("in invocation order, first mismatch: ").append(op).append(" but the model (")
                        .append(state[universe.length] != 0 ? "closed, " : "").append("state ")
                        .append(m).append(") gives ").append(norm(r)).toString();
            }
            state = next;
        }
        return "in invocation order every op matches the model";
    }

    static String format(List<Op> history) {
        long t0 = Long.MAX_VALUE;
        for (Op op : history) {
            t0 = Math.min(t0, op.invoke);
        }
        List<Op> sorted = new ArrayList<>(history);
        sorted.sort((a, b) -> a.thread != b.thread ? Integer.compare(a.thread, b.thread) : Long.compare(a.invoke, b.invoke));
        StringBuilder sb = new StringBuilder();
        for (Op op : sorted) {
            sb.append(String.format("%n    T%d [%,9d .. %,9d ns] %-48s -> %s", op.thread, op.invoke - t0, op.response - t0, op.name, op.result));
        }
        return sb.toString();
    }
}
