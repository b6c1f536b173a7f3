package dev.cobtree.bench;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The writers' stall during a checkpoint (issue 16): {@code writers} threads write without pause
 * (alternately a put and a remove of random keys in [0, 2n), so the tree stays near n entries and
 * never resizes), each write's latency recorded in an HdrHistogram, while the benchmark thread runs
 * {@link CobTree#checkpoint(Path)} of the n = {@code size} entry tree (its implementation, spelled
 * out to read the pre-image bytes before the snapshot closes: {@code snapshot()}, then
 * {@code CobTreeSnapshot.checkpoint}, then close). Then, in the same invocation, a baseline window
 * of the same length with no checkpoint. JMH single-shot mode; the score is the checkpoint's time;
 * the latency percentiles of both windows are printed per invocation and summed over the
 * measurement iterations at the end of the trial ("stall summary").
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar CheckpointStallBench}. GC: G1 (the JVM's
 * default), heap 4 GiB for a 10^7-entry tree (its cells take ~0.3 GB; a checkpoint under writes
 * keeps pre-images of up to one copy, ~0.2 GB); override with {@code -jvmArgsAppend}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseG1GC", "-XX:+AlwaysPreTouch"})
public class CheckpointStallBench {

    @Param({"10000000"})
    public int size;

    @Param({"1"})
    public int writers;

    private CobTree tree;
    private Path dir;
    private Thread[] threads;
    private Histogram[] histograms;
    private volatile boolean stop;
    /** Which window the writers record into: 0 none, 1 checkpoint, 2 baseline. */
    private volatile int window;
    private final Histogram checkpointTotal = hist();
    private final Histogram baselineTotal = hist();
    private long maxPreImageBytes;
    private long maxDrainNanos;

    private static Histogram hist() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        long[] keys = new long[size];
        long[] values = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = 2L * i; // every other key of [0, 2n): random puts are half updates, half inserts
            values[i] = i;
        }
        tree = CobTree.builder().buildFromSorted(keys, values, 0, size);
        dir = Files.createTempDirectory("cobtree-checkpoint-stall");
        histograms = new Histogram[2 * writers];
        threads = new Thread[writers];
        for (int w = 0; w < writers; w++) {
            Histogram inCheckpoint = hist();
            Histogram inBaseline = hist();
            histograms[2 * w] = inCheckpoint;
            histograms[2 * w + 1] = inBaseline;
            SplittableRandom rnd = new SplittableRandom(42 + w);
            long bound = 2L * size;
            threads[w] = new Thread(() -> {
                boolean put = true;
                while (!stop) {
                    long k = rnd.nextLong(bound);
                    long t0 = System.nanoTime();
                    if (put) {
                        tree.put(k, k, 0);
                    } else {
                        tree.remove(k, 0);
                    }
                    long t = System.nanoTime() - t0;
                    put = !put;
                    int in = window;
                    if (in != 0) {
                        Histogram h = in == 1 ? inCheckpoint : inBaseline;
                        synchronized (h) {
                            h.recordValue(Math.min(t, h.getHighestTrackableValue()));
                        }
                    }
                }
            }, "writer-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }
    }

    /** One checkpoint window, then a baseline window as long; returns the checkpoint's entries. */
    @Benchmark
    public long checkpoint() throws InterruptedException {
        Path file = dir.resolve("tree.ckpt");
        for (Histogram h : histograms) {
            synchronized (h) {
                h.reset();
            }
        }
        long gcBefore = gcMillis();
        window = 1;
        long t0 = System.nanoTime();
        long entries;
        long preImageBytes;
        long drain;
        CobTreeSnapshot snap = tree.snapshot();
        drain = System.nanoTime() - t0;
        try {
            entries = snap.checkpoint(file);
            preImageBytes = tree.statistics().snapshotPreImageBytes();
        } finally {
            snap.close();
        }
        long took = System.nanoTime() - t0;
        window = 0;
        long gcCheckpoint = gcMillis() - gcBefore;
        gcBefore = gcMillis();
        window = 2;
        TimeUnit.NANOSECONDS.sleep(took);
        window = 0;
        long gcBaseline = gcMillis() - gcBefore;
        Histogram cp = merged(0);
        Histogram base = merged(1);
        checkpointTotal.add(cp);
        baselineTotal.add(base);
        maxPreImageBytes = Math.max(maxPreImageBytes, preImageBytes);
        maxDrainNanos = Math.max(maxDrainNanos, drain);
        System.out.printf("%n  checkpoint %d entries in %.0f ms (snapshot() %.3f ms, pre-images at the end %.1f MB, GC %d ms)%n",
                entries, took / 1e6, drain / 1e6, preImageBytes / 1e6, gcCheckpoint);
        System.out.println("    during the checkpoint: " + line(cp));
        System.out.println("    baseline, no checkpoint: " + line(base) + " (GC " + gcBaseline + " ms)");
        return entries;
    }

    private Histogram merged(int which) {
        Histogram m = hist();
        for (int w = 0; w < writers; w++) {
            Histogram h = histograms[2 * w + which];
            synchronized (h) {
                m.add(h);
            }
        }
        return m;
    }

    static String line(Histogram h) {
        return String.format("writes %d, p50 %.2f us, p99 %.2f us, p99.9 %.2f us, p99.99 %.2f us, max %.3f ms",
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getValueAtPercentile(99.99) / 1e3, h.getMaxValue() / 1e6);
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, b.getCollectionTime());
        }
        return ms;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException, IOException {
        stop = true;
        for (Thread t : threads) {
            t.join();
        }
        StringBuilder gcs = new StringBuilder();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.append(gcs.isEmpty() ? "" : ", ").append(b.getName());
        }
        System.out.println();
        System.out.println("  stall summary (warm-up and measurement invocations, " + writers + " writer(s), n = " + size
                + ", GC " + gcs + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)");
        System.out.println("    during checkpoints: " + line(checkpointTotal));
        System.out.println("    baseline windows:   " + line(baselineTotal));
        System.out.printf("    longest snapshot() (drain) %.3f ms; most pre-image bytes at a checkpoint's end %.1f MB%n",
                maxDrainNanos / 1e6, maxPreImageBytes / 1e6);
        tree.close();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Files.deleteIfExists(dir);
    }
}
