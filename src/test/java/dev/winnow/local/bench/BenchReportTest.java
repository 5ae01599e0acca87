package dev.winnow.local.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {
    @TempDir
    Path dir;

    static LoopResult loop(String strategy, String seed, String phase, double... metrics) {
        List<LoopResult.Round> rounds = new java.util.ArrayList<>();
        for (int i = 0; i < metrics.length; i++) {
            rounds.add(new LoopResult.Round(i + 1, 100L * (i + 1), metrics[i], i < metrics.length - 1 ? 2.0 + i : null));
        }
        return new LoopResult("b-" + strategy + "-s" + seed, strategy, seed, phase, rounds, true);
    }

    @Test
    void oneRowPerStrategyWithMeanAndSdOverSeeds() throws Exception {
        List<LoopResult> loops = List.of(
                loop("random", "1", "Succeeded", 0.5, 0.6, 0.65),
                loop("margin", "1", "Succeeded", 0.5, 0.7, 0.9),   // AUBC (60 + 80) / 200 = 0.7
                loop("margin", "2", "Succeeded", 0.5, 0.6, 0.7),   // AUBC (55 + 65) / 200 = 0.6
                loop("random", "2", "Failed", 0.1),
                new LoopResult("b-random-s3", "random", "3", "Succeeded",
                        List.of(new LoopResult.Round(5, 500, 0.8, null)), false));
        BenchReport report = BenchReport.of(loops, 0.7, "accuracy");

        assertEquals(List.of("margin", "random"), report.rows().stream().map(StrategySummary::strategy).toList(),
                "ranked by AUBC, best first");
        StrategySummary margin = report.rows().get(0);
        assertEquals(2, margin.seeds());
        assertEquals(0.65, margin.aubcMean(), 1e-12);
        assertEquals(Math.sqrt(0.005), margin.aubcSd(), 1e-12, "sample sd of 0.7 and 0.6");
        assertEquals(0.8, margin.finalMean(), 1e-12);
        assertEquals(250, margin.labelsToTargetMean(), 1e-12, "0.7 reached at 200 and at 300");
        assertEquals(2, margin.reachedTarget());
        assertEquals(2.5, margin.selectSecondsMean(), 1e-12, "selections of 2 s and 3 s in each seed");
        var at200 = margin.curve().get(1);
        assertEquals(200, at200.labeled());
        assertEquals(0.65, at200.mean(), 1e-12);
        assertEquals(Math.sqrt(0.005), at200.sd(), 1e-12);
        assertEquals(1, report.rows().get(1).seeds(), "the failed loop and the truncated one are left out");
        assertEquals(2, report.skipped().size(), report.skipped().toString());
        assertTrue(report.skipped().get(1).contains("history starts at round 5"), report.skipped().toString());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.matches("(?s).*margin\\s+2\\s+0\\.6500 ± 0\\.0707\\s+0\\.8000 ± 0\\.1414\\s+250 \\(2/2\\)\\s+2\\.5.*"), table);
        assertTrue(table.matches("(?s).*random\\s+1\\s+0\\.5875 ± -.*- \\(0/1\\).*"), table);

        // a strategy with parameters has a long name: the columns still line up
        ByteArrayOutputStream wide = new ByteArrayOutputStream();
        BenchReport.of(List.of(loop("coral-measures-margin-entropy", "1", "Succeeded", 0.5, 0.6), loop("random", "1", "Succeeded", 0.5, 0.55)),
                0.7, "accuracy").print(new PrintStream(wide, true, StandardCharsets.UTF_8));
        List<String> lines = wide.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(lines.get(0).indexOf("seeds") + "seeds".length() - 1, lines.get(1).indexOf(" 1 ") + 1, lines.toString());
        assertEquals(lines.get(1).indexOf(" 1 "), lines.get(2).indexOf(" 1 "), lines.toString());

        report.write(dir);
        List<String> csv = Files.readAllLines(dir.resolve(BenchReport.CSV));
        assertEquals(BenchReport.CSV_HEADER, csv.get(0));
        assertEquals("margin,2,0.6500,0.0707,0.8000,0.1414,250,2,0.7000,2.50", csv.get(1));
        assertEquals("random,1,0.5875,,0.6500,,,0,0.7000,2.50", csv.get(2));
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("learning-curve.svg").toFile());
        assertEquals(2, svg.getElementsByTagName("polyline").getLength(), "a mean curve per strategy");
        assertEquals(2, svg.getElementsByTagName("polygon").getLength(), "and its sd band");
        assertTrue(ImageIO.read(dir.resolve("learning-curve.png").toFile()).getWidth() > 0);
    }
}
