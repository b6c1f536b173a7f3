package dev.cobtree.bench;

import dev.cobtree.core.CobTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** What the report says about the machine and the engine the numbers come from. */
final class MachineInfo {

    private MachineInfo() {
    }

    /** CPU model from /proc/cpuinfo, or the OS architecture where there is none. */
    static String cpuModel() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch") + " (no /proc/cpuinfo)";
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** MemTotal from /proc/meminfo, in GiB. */
    static String memory() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                String[] parts = line.split("\\s+");
                long kib = Long.parseLong(parts[1]);
                return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
            }
        }
        return "unknown (no /proc/meminfo)";
    }

    static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    /**
     * Summary of load-average samples, lines of {@code epochSeconds} followed by the fields of
     * /proc/loadavg; null if there is none.
     */
    static String loadSummary(List<String> samples) {
        double sum = 0;
        double max = 0;
        int n = 0;
        for (String line : samples) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) continue;
            try {
                double one = Double.parseDouble(f[1]);
                sum += one;
                max = Math.max(max, one);
                n++;
            } catch (NumberFormatException e) {
                // a truncated last line: skip it
            }
        }
        if (n == 0) return null;
        return String.format(java.util.Locale.ROOT, "1-minute load average during the run: mean %.1f, max %.1f (%d samples)", sum / n, max, n);
    }

    /**
     * Whether the CobTree on the classpath is the real engine or the temporary reference
     * implementation backed by a ConcurrentSkipListMap (which makes every cobtree number a
     * measurement of the skip list).
     */
    static boolean referenceEngine() {
        for (var f : CobTree.class.getDeclaredFields()) {
            if (ConcurrentSkipListMap.class.isAssignableFrom(f.getType())) return true;
        }
        return false;
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
