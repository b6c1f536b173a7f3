package dev.cobtree.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a child JVM and reports how it ended. */
record ChildJvm(int exitCode, String output) {

    static Process start(Path log, String maxHeap, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + log.resolveSibling(log.getFileName() + ".hs_err"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static ChildJvm await(Process p, Path log, long seconds) throws IOException, InterruptedException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            return new ChildJvm(-1, "TIMED OUT after " + seconds + " s\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new ChildJvm(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Exited by itself with 0: no signal (a JVM killed by SIGBUS aborts with 134), no error. */
    boolean cleanExit() {
        return exitCode == 0;
    }
}
