package dev.cobtree.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A child JVM writes rounds into a mapped store (closing cleanly and checkpointing after each)
 * and is killed with SIGKILL at a random moment. Reopening must then either refuse with
 * {@link CorruptIndexException} or return exactly the cells of a round that was closed cleanly;
 * the checkpoint, if there is one, must read back exactly the entries of a completed round. Never
 * anything else. {@code -Dcobtree.crash.rounds=N} runs more kills (default 3).
 */
class CrashTest {

    @TempDir
    Path dir;

    @Test
    void sigkillNeverYieldsWrongData() throws Exception {
        long seed = TestSettings.seed("crash");
        long rounds = TestSettings.longProperty("cobtree.crash.rounds", 3);
        SplittableRandom rnd = new SplittableRandom(seed);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        List<Integer> completed = new ArrayList<>();
        for (int kill = 0; kill < rounds; kill++) {
            Path cells = dir.resolve("cells-" + kill);
            Path checkpoint = dir.resolve("checkpoint-" + kill + ".ckpt");
            long childSeed = rnd.nextLong();
            long delayMillis = 300 + rnd.nextInt(2500);
            Path stderr = dir.resolve("stderr-" + kill + ".txt");
            List<String> cmd = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                    cells.toString(), checkpoint.toString(), Long.toString(childSeed));
            Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
            AtomicInteger lastRound = new AtomicInteger();
            Thread out = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("ROUND ")) {
                            lastRound.set(Integer.parseInt(line.substring(6).trim()));
                        }
                    }
                } catch (IOException ignored) {
                    // the pipe breaks when the child is killed
                }
            });
            out.start();
            boolean exitedByItself = p.waitFor(delayMillis, TimeUnit.MILLISECONDS);
            assertFalse(exitedByItself, () -> "child exited by itself with " + p.exitValue() + ": " + read(stderr));
            p.destroyForcibly(); // SIGKILL on POSIX
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            out.join();
            int k = lastRound.get();
            completed.add(k);
            String where = "kill " + kill + " after " + delayMillis + " ms, last completed round " + k + ", child seed " + childSeed + ", seed " + seed;
            outcomes.merge(verifyCells(cells, childSeed, k, where), 1, Integer::sum);
            outcomes.merge(verifyCheckpoint(checkpoint, childSeed, k, where), 1, Integer::sum);
        }
        System.out.println("[crash] " + rounds + " SIGKILLs after rounds " + completed + ": " + outcomes);
    }

    /**
     * Kills while a new generation's blocks are being written (the allocation step of a resize):
     * the reopen must return the clean generation before it exactly, or refuse; never anything
     * else. {@code -Dcobtree.crash.rounds=N} kills (default 3).
     */
    @Test
    void killsDuringTheAllocationOfANewFileNeverYieldWrongData() throws Exception {
        long seed = TestSettings.seed("crash-allocation");
        long rounds = TestSettings.longProperty("cobtree.crash.rounds", 3);
        SplittableRandom rnd = new SplittableRandom(seed);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        for (int kill = 0; kill < rounds; kill++) {
            Path cells = dir.resolve("alloc-" + kill);
            try (MappedCellStoreFactory f = new MappedCellStoreFactory(cells)) {
                CellStore s = f.create(4, 16);
                MappedCellStoreTest.fill(s, kill);
                f.close(s, 7);
            }
            Path log = dir.resolve("alloc-" + kill + ".log");
            Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), AllocatingWriter.class.getName(), cells.toString(), "4000000")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!read(log).contains("ALLOCATING") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(1);
            }
            Thread.sleep(rnd.nextInt(120));
            assertTrue(p.isAlive(), () -> "child ended by itself: " + read(log));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String outcome;
            try (MappedCellStoreFactory f = new MappedCellStoreFactory(cells)) {
                CellStore s = f.recover();
                assertEquals(1, ((MappedCellStore) s).generation(), "only the clean generation may open (seed " + seed + ")");
                MappedCellStoreTest.assertFilled(s, kill, s.capacity());
                outcome = "previous clean generation, exact";
            } catch (CorruptIndexException e) {
                outcome = "refused (" + e.reason() + ")";
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.println("[crash-allocation] " + rounds + " SIGKILLs while allocating (seed " + seed + "): " + outcomes);
    }

    private static String verifyCells(Path cells, long childSeed, int k, String where) {
        if (!Files.exists(cells)) {
            assertEquals(0, k, where);
            return "cells: not started";
        }
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(cells)) {
            MappedCellStore s;
            try {
                s = (MappedCellStore) f.recover();
            } catch (CorruptIndexException e) {
                assertTrue(e.getMessage().contains("Rebuild the index"), e.getMessage());
                return "cells: refused (" + e.reason() + ")";
            }
            if (s == null) {
                assertEquals(0, k, where + ": no cell file although a round was closed cleanly");
                return "cells: none";
            }
            int m = (int) s.recoveredEntryCount();
            assertTrue(m == k || m == k + 1, where + ": reopened round " + m);
            String diff = CrashModel.difference(s, CrashModel.expected(childSeed, m));
            assertNull(diff, () -> where + ": reopened round " + m + " with wrong cells: " + diff);
            f.close(s, m);
            return "cells: reopened a clean round";
        }
    }

    private static String verifyCheckpoint(Path checkpoint, long childSeed, int k, String where) {
        if (!Files.exists(checkpoint)) {
            assertEquals(0, k, where + ": a round completed without a checkpoint");
            return "checkpoint: none yet";
        }
        CheckpointFile.Image img = CheckpointFile.read(checkpoint); // never corrupt: written by atomic rename
        assertEquals(Long.MIN_VALUE, img.keys()[0], where);
        int j = (int) img.values()[0];
        assertTrue(j == k || j == k + 1, where + ": checkpoint of round " + j);
        CellStore expected = CrashModel.expected(childSeed, j);
        List<long[]> entries = new ArrayList<>();
        for (long c = 0; c < expected.capacity(); c++) {
            if (expected.metaPlain(c) != 0) {
                entries.add(new long[] {expected.keyPlain(c), expected.valuePlain(c)});
            }
        }
        assertEquals(entries.size() + 1, img.size(), where);
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(entries.get(i)[0], img.keys()[i + 1], where);
            assertEquals(entries.get(i)[1], img.values()[i + 1], where);
        }
        return "checkpoint: exact round";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
