package dev.cobtree.consumer;

import dev.cobtree.core.CobTree;
import dev.cobtree.query.SecondaryIndex;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickStartTest {

    @Test
    void runsOnTheModulePathWithCobtreesModuleNames() {
        assertEquals("dev.cobtree.consumer", QuickStart.class.getModule().getName());
        assertEquals("dev.cobtree.core", CobTree.class.getModule().getName());
        assertEquals("dev.cobtree.query", SecondaryIndex.class.getModule().getName());
        assertEquals("dev.cobtree.storage", ModuleLayer.boot().findModule("dev.cobtree.storage")
                .map(Module::getName).orElse("dev.cobtree.storage: not in the boot layer"));
        assertEquals("roaringbitmap", RoaringBitmap.class.getModule().getName());
        // only the API packages are exported
        Module core = CobTree.class.getModule();
        assertEquals(java.util.Set.of("dev.cobtree.core"), core.getDescriptor().exports().stream()
                .map(e -> e.source()).collect(java.util.stream.Collectors.toSet()));
        assertTrue(ModuleLayer.boot().findModule("com.github.benmanes.caffeine").isPresent(),
                "Caffeine resolves as a named module");
    }

    @Test
    void theReadmeQuickStartRunsAndPrintsWhatItSays() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        saved.print(out);
        assertTrue(out.contains("42=4200"), out);
        assertTrue(out.contains("7=70"), out);
        assertTrue(out.contains("get=4200 count=1 bulk=5 map={7=70}"), out);
        assertTrue(out.contains("hits={7}"), out);
        assertTrue(out.contains("table rows={0}"), out);
        assertTrue(out.contains("composite index (status, time)"), out);
    }
}
