package dev.cobtree.examples;

import java.io.PrintStream;

/**
 * Progress of one long step on one line: {@code building cobtree .......... 100%  0.84 s}.
 * A dot every tenth of the work (no carriage returns, so logs stay readable).
 */
final class ProgressLine {

    private final PrintStream out;
    private final long total;
    private final long start = System.nanoTime();
    private int tenths;

    private ProgressLine(PrintStream out, String what, long total) {
        this.out = out;
        this.total = Math.max(1, total);
        out.printf("  %-50s ", what);
        out.flush();
    }

    static ProgressLine start(PrintStream out, String what, long total) {
        return new ProgressLine(out, what, total);
    }

    /** {@code done} units of the total are finished. Cheap enough to call every iteration. */
    void update(long done) {
        int t = (int) Math.min(10, done * 10 / total);
        while (tenths < t) {
            out.print('.');
            tenths++;
            out.flush();
        }
    }

    /** Prints the elapsed time; returns it in milliseconds. */
    double finish() {
        update(total);
        double ms = (System.nanoTime() - start) / 1e6;
        out.printf(" 100%%  %s%n", Stopwatch.format(ms));
        return ms;
    }
}
