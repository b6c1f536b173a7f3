package dev.cobtree.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header row, then rows; the first column left-aligned, the rest right-aligned. */
final class TextTable {

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = header;
    }

    TextTable row(Object... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + header.length + " columns");
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = String.valueOf(cells[i]);
        rows.add(r);
        return this;
    }

    void print(PrintStream out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) width[i] = header[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        line(out, header, width);
        StringBuilder rule = new StringBuilder("  ");
        for (int i = 0; i < width.length; i++) rule.append("-".repeat(width[i])).append(i + 1 < width.length ? "  " : "");
        out.println(rule);
        for (String[] r : rows) line(out, r, width);
    }

    private static void line(PrintStream out, String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder("  ");
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            sb.append(i == 0 ? cells[i] + pad : pad + cells[i]);
            if (i + 1 < cells.length) sb.append("  ");
        }
        out.println(sb);
    }

    /** "3.2x" when cobtree took less time than the baseline, "0.8x" when more. */
    static String speedup(double cobtreeMs, double baselineMs) {
        if (cobtreeMs <= 0) return "-";
        return String.format("%.1fx", baselineMs / cobtreeMs);
    }
}
