package dev.cobtree.core;

import dev.cobtree.storage.CheckpointFile;
import dev.cobtree.storage.CorruptIndexException;
import dev.cobtree.storage.MappedCellStoreFactory;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A child JVM writes to a mapped CobTree (rounds of puts and removes, each closed cleanly and
 * checkpointed) and is killed with SIGKILL at a random moment. Reopening the index must either
 * refuse with {@link CorruptIndexException} (then the checkpoint is the fallback, and it must
 * hold exactly a completed round) or give exactly the entries of the last cleanly closed round.
 * {@code -Dcobtree.crash.rounds=N} runs more kills (default 3).
 */
class TreeCrashTest {

    @TempDir
    Path dir;

    @Test
    void sigkilledWriterNeverYieldsWrongData() throws Exception {
        long seed = StoreKinds.seed("tree-crash");
        long kills = Long.getLong("cobtree.crash.rounds", 3);
        SplittableRandom rnd = new SplittableRandom(seed);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        List<Integer> completed = new ArrayList<>();
        for (int kill = 0; kill < kills; kill++) {
            Path cells = dir.resolve("index-" + kill);
            Path checkpoint = dir.resolve("checkpoint-" + kill + ".ckpt");
            Path stderr = dir.resolve("stderr-" + kill + ".txt");
            long childSeed = rnd.nextLong();
            long delayMillis = 300 + rnd.nextInt(3000);
            Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), TreeCrashWriter.class.getName(),
                    cells.toString(), checkpoint.toString(), Long.toString(childSeed))
                    .redirectError(stderr.toFile()).start();
            AtomicInteger last = new AtomicInteger();
            Thread out = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("ROUND ")) {
                            last.set(Integer.parseInt(line.substring(6).trim()));
                        }
                    }
                } catch (IOException ignored) {
                    // broken by the kill
                }
            });
            out.start();
            assertFalse(p.waitFor(delayMillis, TimeUnit.MILLISECONDS), () -> "child exited by itself: " + read(stderr));
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            out.join();
            int k = last.get();
            completed.add(k);
            String where = "kill " + kill + " after " + delayMillis + " ms, last completed round " + k
                    + ", child seed " + childSeed + ", seed " + seed;

            // the checkpoint: written by atomic rename, so always whole, and of a completed round
            TreeMap<Long, Long> fromCheckpoint = null;
            if (Files.exists(checkpoint)) {
                CheckpointFile.Image img = CheckpointFile.read(checkpoint);
                CobTree restored = CobTree.builder().buildFromSorted(img.keys(), img.values(), 0, img.size());
                int j = (int) restored.get(Long.MIN_VALUE, -1);
                assertTrue(j == k || j == k + 1, where + ": checkpoint of round " + j);
                fromCheckpoint = TreeCrashWriter.model(childSeed, j);
                StorageBackedTreeTest.assertContents(restored, fromCheckpoint, where + ", checkpoint");
                restored.close();
            } else {
                assertEquals(0, k, where + ": a round completed without a checkpoint");
            }

            MappedCellStoreFactory f = new MappedCellStoreFactory(cells);
            CobTree reopened;
            try {
                reopened = CobTree.builder().storage(f).build();
            } catch (CorruptIndexException e) {
                f.close();
                assertTrue(e.getMessage().contains("restore it from a checkpoint"), e.getMessage());
                outcomes.merge("refused (" + e.reason() + ")" + (fromCheckpoint != null ? ", checkpoint restored" : ", no checkpoint yet"), 1, Integer::sum);
                continue;
            }
            int m = (int) reopened.get(Long.MIN_VALUE, 0);
            assertTrue(m == k || m == k + 1 || (m == 0 && k == 0), where + ": reopened round " + m);
            StorageBackedTreeTest.assertContents(reopened, TreeCrashWriter.model(childSeed, m), where + ", reopened round " + m);
            reopened.close();
            outcomes.merge(m == 0 ? "reopened empty (killed before any write)" : "reopened a cleanly closed round", 1, Integer::sum);
        }
        System.out.println("[tree-crash] " + kills + " SIGKILLs after rounds " + completed + ": " + outcomes);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
