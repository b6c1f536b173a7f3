package dev.cobtree.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's quick-start snippets are the program that consumer-test/ compiles and runs
 * against the installed artifacts: every line of every java block of the README's "Quick start"
 * section appears, in order, in consumer-test's QuickStart.java.
 */
class ReadmeQuickStartTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void everyQuickStartLineIsInTheProgramTheConsumerTestRuns() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        List<String> program = Files.readAllLines(
                ROOT.resolve("consumer-test/src/main/java/dev/cobtree/consumer/QuickStart.java"))
                .stream().map(String::strip).toList();
        List<List<String>> blocks = javaBlocks(readme);
        assertEquals(4, blocks.size(), "the Quick start section's java blocks: " + blocks);
        int from = 0;
        for (List<String> block : blocks) {
            for (String line : block) {
                int at = indexOf(program, line, line.startsWith("import ") ? 0 : from);
                assertTrue(at >= 0, "README quick-start line not in consumer-test's QuickStart.java"
                        + (line.startsWith("import ") ? "" : " after line " + from) + ": " + line);
                if (!line.startsWith("import ")) from = at + 1;
            }
        }
    }

    /** The stripped, non-blank lines of each ```java block between "## Quick start" and the next section. */
    private static List<List<String>> javaBlocks(List<String> readme) {
        List<List<String>> blocks = new ArrayList<>();
        boolean inSection = false;
        List<String> block = null;
        for (String line : readme) {
            if (line.startsWith("## ")) inSection = line.equals("## Quick start");
            if (!inSection) continue;
            if (block == null && line.strip().equals("```java")) {
                block = new ArrayList<>();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(block);
                block = null;
            } else if (block != null && !line.isBlank()) {
                block.add(line.strip());
            }
        }
        return blocks;
    }

    private static int indexOf(List<String> lines, String line, int from) {
        for (int i = from; i < lines.size(); i++) if (lines.get(i).equals(line)) return i;
        return -1;
    }
}
