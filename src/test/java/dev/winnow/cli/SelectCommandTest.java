package dev.winnow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.sampling.Npy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** `winnow select` in-process: outputs on success; on bad input one line, exit 2, no files. */
class SelectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SelectCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path good() {
        Path p = dir.resolve("pred");
        Npy.ids(p.resolve("ids.txt"), List.of("a", "b", "c", "d"));
        Npy.write(p.resolve("probs.npy"), new float[][] {{0.9f, 0.1f}, {0.5f, 0.5f}, {0.7f, 0.3f}, {0.6f, 0.4f}});
        Npy.write(p.resolve("embeddings.npy"), new float[][] {{0, 0}, {1, 1}, {5, 5}, {9, 9}});
        return p;
    }

    private List<String> lines(Path f) throws Exception {
        return Files.readAllLines(f);
    }

    @Test
    void writesSelectionAndLabelRequest() throws Exception {
        Path p = good();
        Path out = dir.resolve("out/selection.jsonl");
        Files.writeString(dir.resolve("ex.txt"), "b\n");
        Run r = run("--predictions", p.toString(), "--strategy", "margin", "--count", "2", "--exclude",
                dir.resolve("ex.txt").toString(), "--round", "3", "--tag", "round-3", "--classes", "cat,dog",
                "--image-root", "s3://bucket/img/", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("selected 2 of 4 samples (1 excluded) with margin"), r.out());
        List<String> sel = lines(out);
        assertEquals(2, sel.size());
        JsonNode first = JSON.readTree(sel.get(0));
        assertEquals("d", first.get("id").asText());
        assertEquals(1, first.get("rank").asInt());
        assertEquals("margin", first.get("strategy").asText());
        assertEquals(3, first.get("round").asInt());
        assertEquals("round-3", first.get("tag").asText());
        assertEquals(0.8, first.get("score").asDouble(), 1e-6);
        JsonNode tasks = JSON.readTree(dir.resolve("out/label-request.json").toFile());
        assertEquals(2, tasks.size());
        assertEquals("s3://bucket/img/d", tasks.get(0).at("/data/image").asText());
        assertEquals("cat", tasks.get(0).at("/predictions/0/result/0/value/choices/0").asText());
    }

    @Test
    void writesCocoPreAnnotationsForDetections() throws Exception {
        Path p = dir.resolve("det");
        Files.createDirectories(p);
        Files.writeString(p.resolve("detections.jsonl"), """
                {"id": "x", "width": 100, "height": 50, "boxes": [{"label": "car", "score": 0.55, "bbox": [10, 5, 30, 25]}]}
                {"id": "y", "boxes": [{"label": "bus", "score": 0.99, "bbox": [0, 0, 2, 2]}]}
                """);
        Path out = dir.resolve("o/selection.jsonl");
        Run r = run("--predictions", p.toString(), "--strategy", "least-confidence", "--count", "1", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode coco = JSON.readTree(dir.resolve("o/label-request.coco.json").toFile());
        assertEquals("x", coco.at("/images/0/file_name").asText());
        assertEquals(20.0, coco.at("/annotations/0/bbox/2").asDouble());
        assertEquals("car", coco.at("/categories/0/name").asText());
        JsonNode ls = JSON.readTree(dir.resolve("o/label-request.json").toFile());
        assertEquals(10.0, ls.at("/0/predictions/0/result/0/value/x").asDouble(), 1e-9);
        assertEquals(40.0, ls.at("/0/predictions/0/result/0/value/height").asDouble(), 1e-9);
    }

    @Test
    void writesKittiPreAnnotationsForKittiInput() throws Exception {
        Path p = dir.resolve("kitti/labels");
        Files.createDirectories(p);
        Files.writeString(p.resolve("img1.txt"), "car 0.00 0 0.00 10 20 30 40 0 0 0 0 0 0 0 0.51\n");
        Files.writeString(p.resolve("img2.txt"), "car 0.00 0 0.00 10 20 30 40 0 0 0 0 0 0 0 0.99\n");
        Path out = dir.resolve("k/selection.jsonl");
        Run r = run("--predictions", dir.resolve("kitti").toString(), "--strategy", "entropy", "--count", "1",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String line = Files.readString(dir.resolve("k/label-request.kitti/img1.txt")).strip();
        assertEquals(16, line.split(" ").length);
        assertTrue(line.startsWith("car ") && line.endsWith(" 0.5100"), line);
    }

    @Test
    void randomNeedsOnlyAnIdFile() throws Exception {
        Path ids = dir.resolve("pool.txt");
        Files.writeString(ids, "a\nb\nc\n");
        Path out = dir.resolve("r/selection.jsonl");
        Run r = run("--ids", ids.toString(), "--strategy", "random", "--total", "2", "--seed", "4", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(2, lines(out).size());
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("count above the pool", (Setup) (d, p) -> args(p, "margin", "--count", "5"),
                        "ids.txt: cannot select 5, only 4 samples are left in the pool (4 ids, 0 excluded)"),
                Arguments.of("count above the pool after exclusion", (Setup) (d, p) -> {
                    Files.writeString(d.resolve("ex.txt"), "a\nb\n");
                    return args(p, "margin", "--count", "3", "--exclude", d.resolve("ex.txt").toString());
                }, "cannot select 3, only 2 samples are left in the pool (4 ids, 2 excluded)"),
                Arguments.of("coreset without embeddings", (Setup) (d, p) -> {
                    Files.delete(p.resolve("embeddings.npy"));
                    return args(p, "coreset", "--count", "1");
                }, "embeddings.npy: not found; coreset needs embeddings"),
                Arguments.of("bald without mc_probs", (Setup) (d, p) -> args(p, "bald", "--count", "1"),
                        "mc_probs.npy: not found; bald needs MC-dropout probabilities"),
                Arguments.of("ids and rows differ", (Setup) (d, p) -> {
                    Npy.ids(p.resolve("ids.txt"), List.of("a", "b", "c"));
                    return args(p, "margin", "--count", "1");
                }, "probs.npy: 4 rows, but " + "%P/ids.txt has 3 ids"),
                Arguments.of("embeddings rows differ", (Setup) (d, p) -> {
                    Npy.write(p.resolve("embeddings.npy"), new float[][] {{0, 0}});
                    return args(p, "coreset", "--count", "1");
                }, "embeddings.npy: 1 rows, but %P/ids.txt has 4 ids"),
                Arguments.of("NaN", (Setup) (d, p) -> {
                    Npy.write(p.resolve("probs.npy"), new float[][] {{1, 0}, {1, 0}, {Float.NaN, 1}, {1, 0}});
                    return args(p, "margin", "--count", "1");
                }, "probs.npy row 2: contains NaN"),
                Arguments.of("negative", (Setup) (d, p) -> {
                    Npy.write(p.resolve("probs.npy"), new float[][] {{1, 0}, {1.5f, -0.5f}, {1, 0}, {1, 0}});
                    return args(p, "entropy", "--count", "1");
                }, "probs.npy row 1: contains a negative value -0.5"),
                Arguments.of("rows not summing to one", (Setup) (d, p) -> {
                    Npy.write(p.resolve("probs.npy"), new float[][] {{1, 0}, {1, 0}, {1, 0}, {0.5f, 0.49f}});
                    return args(p, "least-confidence", "--count", "1");
                }, "probs.npy row 3: sums to 0.99"),
                Arguments.of("NaN embedding", (Setup) (d, p) -> {
                    Npy.write(p.resolve("embeddings.npy"), new float[][] {{0, 0}, {0, Float.NaN}, {0, 0}, {1, 1}});
                    return args(p, "coreset", "--count", "1");
                }, "embeddings.npy row 1: contains NaN"),
                Arguments.of("fortran order", (Setup) (d, p) -> {
                    Npy.write(p.resolve("probs.npy"), "<f4", true, new float[8], 4, 2);
                    return args(p, "margin", "--count", "1");
                }, "probs.npy: Fortran order is not supported"),
                Arguments.of("int dtype", (Setup) (d, p) -> {
                    Npy.write(p.resolve("probs.npy"), "<i4", false, new float[8], 4, 2);
                    return args(p, "margin", "--count", "1");
                }, "probs.npy: dtype <i4 is not supported"),
                Arguments.of("unknown strategy", (Setup) (d, p) -> args(p, "magic", "--count", "1"),
                        "--strategy magic: unknown strategy (known: random, least-confidence"),
                Arguments.of("unknown param", (Setup) (d, p) -> args(p, "margin", "--count", "1", "--param",
                        "aggregaton=max"), "--param aggregaton: not a parameter of margin"),
                Arguments.of("missing exclude file", (Setup) (d, p) -> args(p, "margin", "--count", "1",
                        "--exclude", d.resolve("nope.txt").toString()), "nope.txt: not found"),
                Arguments.of("total below excluded", (Setup) (d, p) -> {
                    Files.writeString(d.resolve("ex.txt"), "a\nb\nc\n");
                    return args(p, "margin", "--total", "2", "--exclude", d.resolve("ex.txt").toString());
                }, "--total 2: smaller than the 3 ids already excluded"),
                Arguments.of("missing predictions", (Setup) (d, p) -> args(d.resolve("none"), "margin",
                        "--count", "1"), "none: not a directory"));
    }

    interface Setup {
        List<String> apply(Path dir, Path pred) throws Exception;
    }

    static List<String> args(Path pred, String strategy, String... rest) {
        List<String> a = new ArrayList<>(List.of("--predictions", pred.toString(), "--strategy", strategy));
        a.addAll(List.of(rest));
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsOneLineExitTwoAndNoOutput(String name, Setup setup, String message) throws Exception {
        Path p = good();
        Path outDir = dir.resolve("out");
        Files.createDirectories(outDir);
        List<String> a = new ArrayList<>(setup.apply(dir, p));
        a.addAll(List.of("--out", outDir.resolve("selection.jsonl").toString()));
        Run r = run(a.toArray(String[]::new));
        assertEquals(2, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains(message.replace("%P", p.toString())), err);
        try (Stream<Path> s = Files.list(outDir)) {
            assertEquals(List.of(), s.toList(), "nothing written");
        }
    }

    @Test
    void usageErrorsAlsoExitTwo() {
        assertEquals(2, run("--strategy", "margin", "--out", "x").code());
        assertEquals(2, run("--predictions", "p", "--strategy", "margin", "--count", "1", "--total", "2",
                "--out", "x").code());
    }
}
