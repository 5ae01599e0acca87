package dev.winnow.cli;

import dev.winnow.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `winnow demo` as a new user runs it: the packaged jar, the Debian Fashion-MNIST files, a whole
 * loop on this machine. While it runs, kubectl lists the loop with its printer columns.
 */
class DemoIT {
    static final Path IDX = Path.of("/usr/share/datasets/fashion-mnist");
    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path workdir;

    @Test
    void shortDemoRunsAWholeLoopAndDrawsTheLearningCurve() throws Exception {
        Needs.directory(IDX, "Debian's dataset-fashion-mnist, which .ci/run installs");
        Path jar = Path.of(System.getProperty("winnow.jar", "target/quarkus-app/quarkus-run.jar"));
        Path log = workdir.resolve("demo.log");
        Process demo = new ProcessBuilder(javaBin(), "-Dai.djl.offline=true", "-jar", jar.toString(), "demo",
                "--rounds", "3", "--initial", "200", "--count", "200", "--strategy", "margin", "--seed", "1",
                "--workdir", workdir.resolve("run").toString(), "--fresh")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String kubectl = null;
        DashboardWatch dashboard = new DashboardWatch(demo, log);
        Thread watching = new Thread(dashboard::watch, "dashboard-watch");
        watching.start();
        try {
            kubectl = kubectlWhileRunning(demo, workdir.resolve("run/kubeconfig"));
            assertTrue(demo.waitFor(10, TimeUnit.MINUTES), "the demo finishes within 10 minutes");
        } finally {
            demo.destroyForcibly();
            watching.join(TimeUnit.SECONDS.toMillis(30));
        }
        String output = Files.readString(log);
        // the URL the demo prints serves the page, and the loop's curve there gains points round by round
        assertTrue(dashboard.url != null, "the demo prints its dashboard's URL: " + output);
        assertTrue(dashboard.pageServed, "the dashboard's page answered at " + dashboard.url);
        assertTrue(dashboard.pointsSeen.stream().distinct().filter(n -> n > 0).count() >= 2,
                "the curve on the dashboard grew while the demo ran; points seen: " + dashboard.pointsSeen);
        assertEquals(0, demo.exitValue(), output);
        assertTrue(output.contains("Succeeded"), output);

        List<String> rows = Files.readAllLines(workdir.resolve("run/rounds.csv"));
        assertTrue(rows.get(0).startsWith("round,labeled,accuracy"), rows.get(0));
        assertEquals(4, rows.size(), "a row per round: " + rows);
        List<long[]> labeled = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            labeled.add(new long[] {Long.parseLong(cells[1])});
            accuracy.add(Double.parseDouble(cells[2]));
        }
        for (int i = 1; i < labeled.size(); i++) {
            assertTrue(labeled.get(i)[0] > labeled.get(i - 1)[0], "labeled counts rise: " + rows);
        }
        assertTrue(accuracy.get(accuracy.size() - 1) > accuracy.get(0), "the last accuracy beats the first: " + rows);

        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(workdir.resolve("run/learning-curve.svg").toFile());
        assertEquals("svg", svg.getDocumentElement().getTagName());
        byte[] png = Files.readAllBytes(workdir.resolve("run/learning-curve.png"));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        assertNotNull(ImageIO.read(workdir.resolve("run/learning-curve.png").toFile()));

        if (kubectl != null) {
            assertTrue(kubectl.contains("PHASE") && kubectl.contains("ROUND") && kubectl.contains("LABELED")
                    && kubectl.contains("LAST METRIC") && kubectl.contains("AGE"), kubectl);
            assertTrue(kubectl.contains("fashion"), kubectl);
        }
    }

    /** Reads the dashboard the demo prints, as a user would, while the demo runs: the page and the loop's curve. */
    private static final class DashboardWatch {
        private static final Pattern URL = Pattern.compile("Dashboard: (http://\\S+/)");
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Process demo;
        private final Path log;
        private final HttpClient http = HttpClient.newHttpClient();
        volatile String url;
        volatile boolean pageServed;
        final List<Integer> pointsSeen = new CopyOnWriteArrayList<>();

        DashboardWatch(Process demo, Path log) {
            this.demo = demo;
            this.log = log;
        }

        void watch() {
            while (demo.isAlive()) {
                try {
                    if (url == null) {
                        Matcher m = URL.matcher(Files.exists(log) ? Files.readString(log) : "");
                        url = m.find() ? m.group(1) : null;
                    } else {
                        if (!pageServed) {
                            pageServed = get("").statusCode() == 200;
                        }
                        HttpResponse<String> view = get("api/view?view=loop&ns=default&name=fashion");
                        if (view.statusCode() == 200) {
                            JsonNode labeled = JSON.readTree(view.body()).path("curve").path("labeled");
                            int n = labeled.size();
                            if (pointsSeen.isEmpty() || pointsSeen.get(pointsSeen.size() - 1) != n) {
                                pointsSeen.add(n);
                            }
                        }
                    }
                    Thread.sleep(300);
                } catch (IOException e) {
                    // the demo closes its dashboard as it ends
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Once the loop exists, lists it with kubectl as the demo tells users to; null without kubectl (never in CI). */
    private static String kubectlWhileRunning(Process demo, Path kubeconfig) throws Exception {
        Optional<Path> kubectl = Needs.optionalKubectl();
        if (kubectl.isEmpty()) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && demo.isAlive()) {
            if (Files.exists(kubeconfig)) {
                String out = run(kubectl.get().toString(), "--kubeconfig", kubeconfig.toString(), "get", "activelearningloops");
                if (out.contains("fashion")) {
                    return out;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("kubectl never listed the loop while the demo ran");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
