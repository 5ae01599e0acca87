package dev.winnow.cli;

import dev.winnow.local.bench.BenchReport;
import dev.winnow.worker.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `winnow bench` as a user runs it, at small sizes: the packaged jar, real steps (DJL training, inference,
 * selection, simulated labels) on a tiny IDX pool, three strategies with two seeds each; then `winnow report`
 * reads the same loops back from the state the bench saved.
 */
class BenchIT {
    @TempDir
    Path dir;

    @Test
    void benchRunsALoopPerStrategyAndSeedAndReportsMeanAndSd() throws Exception {
        Path idx = dir.resolve("idx");
        TestData.writeIdx(idx, 300, 60, 28, 10, true);
        Path run = dir.resolve("run");
        String out = winnow(dir.resolve("bench.log"), 25, "bench", "--name", "it", "--strategies", "margin,entropy,random",
                "--seeds", "2", "--rounds", "3", "--initial", "20", "--count", "20", "--epochs", "1", "--parallel", "3",
                "--source", idx.toString(), "--workdir", run.toString(), "--fresh");
        for (String strategy : List.of("margin", "entropy", "random")) {
            assertTrue(out.matches("(?s).*\\n" + strategy + "\\s+2\\s+\\d\\.\\d{4} ± \\d\\.\\d{4}\\s+\\d\\.\\d{4} ± \\d\\.\\d{4}.*"),
                    "a row with mean ± sd for " + strategy + ":\n" + out);
        }
        List<String> csv = Files.readAllLines(run.resolve("report").resolve(BenchReport.CSV));
        assertEquals(BenchReport.CSV_HEADER, csv.get(0));
        assertEquals(Set.of("margin", "entropy", "random"), csv.subList(1, csv.size()).stream().map(r -> r.split(",")[0])
                .collect(Collectors.toSet()), "a row per strategy");
        assertEquals(4, csv.size(), csv.toString());
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",", -1);
            assertEquals("2", cells[1], row);
            assertFalse(cells[2].isEmpty() || cells[3].isEmpty(), "AUBC mean and sd: " + row);
            assertFalse(cells[9].isEmpty(), "selection seconds from the loops' history: " + row);
        }
        var svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(run.resolve("report/learning-curve.svg").toFile());
        assertEquals(3, svg.getElementsByTagName("polygon").getLength(), "a ±1 sd band per strategy");

        // the finished bench's loops, read back by `winnow report` from its saved state, give the same report
        Path again = dir.resolve("again");
        winnow(dir.resolve("report.log"), 2, "report", "--workdir", run.toString(), "--selector", "winnow.dev/bench=it",
                "--out", again.toString());
        assertEquals(csv, Files.readAllLines(again.resolve(BenchReport.CSV)));
    }

    private static String winnow(Path log, int minutes, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("winnow.jar", "target/quarkus-app/quarkus-run.jar"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), args[0] + " finishes within " + minutes + " minutes");
        } finally {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}
