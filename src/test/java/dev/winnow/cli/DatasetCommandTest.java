package dev.winnow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.Needs;
import picocli.CommandLine;

/** {@code winnow dataset fashion-detection} as a user types it. */
class DatasetCommandTest {
    static final Path IDX = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void writesTheLayoutAndSaysWhat() {
        Needs.directory(IDX, "Debian's dataset-fashion-mnist, which .ci/run installs");
        int code = new CommandLine(new DatasetCommand()).execute("fashion-detection", "--out", dir.toString(),
                "--train", "3", "--test", "2", "--seed", "4", "--no-clutter");
        assertEquals(0, code);
        assertTrue(Files.exists(dir.resolve("images/000002.png")) && Files.exists(dir.resolve("labels/000002.txt")));
        assertTrue(Files.exists(dir.resolve("images/test/000001.png")) && Files.exists(dir.resolve("labels/test/000001.txt")));
        assertTrue(Files.notExists(dir.resolve("images/000003.png")));
    }

    @Test
    void missingIdxFilesAreAClearError() {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new DatasetCommand()).execute("fashion-detection", "--out", dir.resolve("out").toString(),
                    "--source", dir.toString());
        } finally {
            System.setErr(err);
        }
        assertEquals(2, code);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no train-images-idx3-ubyte[.gz] in " + dir), bytes.toString());
    }
}
