package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.sampling.Npy;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.winnow.dashboard.Fixtures.NS;
import static dev.winnow.dashboard.Fixtures.condition;
import static dev.winnow.dashboard.Fixtures.loop;
import static dev.winnow.dashboard.Fixtures.selection;
import static dev.winnow.dashboard.Fixtures.trained;
import static dev.winnow.dashboard.Fixtures.training;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser (headless Chromium) against the embedded API, with objects written as the
 * operator writes them: the list shows a running loop and a failed loop's reason, the curve gains a point when a
 * round's history entry is patched in (live, no reload), a Dataset's pool map is drawn from its artifacts, and no
 * page logs an error on the console. With -Dwinnow.dashboard.screenshots=DIR it saves the pages' pictures there
 * (docs/dashboard.md's).
 */
class DashboardBrowserIT {
    @TempDir
    static Path dir;
    static EmbeddedApiServer api;
    static KubernetesClient client;
    static DashboardServer dashboard;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = new Browser();
        api = EmbeddedApiServer.start(dir, 0);
        client = api.client();
        Dataset fashion = Fixtures.dataset("fashion");
        fashion.getSpec().artifacts.uri = artifacts(dir.resolve("artifacts")).toUri().toString();
        fashion.getStatus().embedding = new dev.winnow.api.v1alpha1.DatasetStatus.EmbeddingStatus();
        fashion.getStatus().embedding.uri = fashion.getSpec().artifacts.uri + "datasets/fashion/embeddings/";
        fashion.getStatus().embedding.embeddedAt = Fixtures.CREATED;
        put(fashion);

        ActiveLearningLoop running = trained(trained(loop("fashion", "Running", null, null, null), 1, 100, 0.62), 2, 200, 0.71);
        running.getStatus().stage = "AwaitingLabels";
        put(running);
        put(selection("fashion", 0, "Succeeded", 100, 100, 0));
        put(training("fashion", 1, "Succeeded"));
        put(selection("fashion", 1, "Succeeded", 100, 100, 0));
        put(training("fashion", 2, "Succeeded"));
        put(selection("fashion", 2, "Running", 100, 37, 63));
        client.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata().withName("fashion.1").endMetadata()
                .withNewInvolvedObject().withKind("SelectionRound").withName("fashion-r2").withNamespace(NS).endInvolvedObject()
                .withType("Normal").withReason("AwaitingLabels").withMessage("37 of 100 labeled")
                .withLastTimestamp(Instant.now().toString()).build()).create();

        ActiveLearningLoop broken = loop("broken", "Failed", null, null, null);
        condition(broken.getStatus(), "Failed", "True", "TrainingRunFailed", "TrainingRun broken-r1 failed");
        put(broken);
        TrainingRun brokenRun = training("broken", 1, "Failed");
        condition(brokenRun.getStatus(), "Failed", "True", "TrainFailed", "the trainer exited with code 137 (OOMKilled)");
        put(brokenRun);
        benchLoops();

        dashboard = DashboardServer.start(client, List.of(NS), "127.0.0.1", 0, Map.of());
    }

    /** A small pool's embeddings and two rounds' picks, in the artifact layout the embed and select steps write. */
    static Path artifacts(Path art) throws Exception {
        Path emb = Files.createDirectories(art.resolve("datasets/fashion/embeddings"));
        Random random = new Random(7);
        float[][] rows = new float[600][];
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            int cluster = i % 4;
            rows[i] = new float[] {cluster * 3 + (float) random.nextGaussian(), (cluster % 2) * 4 + (float) random.nextGaussian(),
                    (float) random.nextGaussian()};
            ids.add("s" + i);
        }
        Npy.write(emb.resolve("embeddings.npy"), rows);
        Npy.ids(emb.resolve("ids.txt"), ids);
        for (int round = 0; round < 3; round++) {
            StringBuilder picks = new StringBuilder();
            for (int i = round * 40; i < round * 40 + 40; i++) {
                picks.append("{\"id\":\"s").append(i * 5).append("\",\"round\":").append(round).append("}\n");
            }
            Files.writeString(Files.createDirectories(art.resolve("rounds/fashion-r" + round)).resolve("selection.jsonl"), picks);
        }
        return art;
    }

    /** A finished benchmark: two strategies, three seeds each, for the band (and the pictures). */
    static void benchLoops() {
        double[][] margin = {{0.58, 0.69, 0.75, 0.79, 0.81}, {0.55, 0.67, 0.74, 0.78, 0.80}, {0.60, 0.70, 0.77, 0.80, 0.83}};
        double[][] random = {{0.58, 0.65, 0.70, 0.73, 0.75}, {0.55, 0.64, 0.69, 0.72, 0.75}, {0.60, 0.66, 0.71, 0.75, 0.77}};
        for (int seed = 0; seed < 3; seed++) {
            for (var s : List.of(Map.entry("margin", margin[seed]), Map.entry("random", random[seed]))) {
                ActiveLearningLoop l = loop("bench-" + s.getKey() + "-s" + seed, "Succeeded", "bench", s.getKey(), "" + seed);
                for (int r = 0; r < s.getValue().length; r++) {
                    trained(l, r + 1, 100L * (r + 1), s.getValue()[r]);
                }
                l.getStatus().stopReason = "MaxRounds";
                put(l);
            }
        }
    }

    /** Creates the object, then writes its status through the status subresource, as the operator does. */
    static void put(HasMetadata o) {
        HasMetadata created = client.resource(o).create();
        o.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
        client.resource(o).updateStatus();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), browser.consoleErrors(), "the browser's console");
    }

    private static WebElement await(By by) {
        return new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private static void awaitText(By by, String text) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    private static void open(String hash) {
        browser.driver.get(dashboard.url() + hash);
    }

    @Test
    void theListShowsARunningLoopAndFollowsNewOnes() throws Exception {
        open("#/");
        By row = By.cssSelector("tr[data-loop='default/fashion']");
        awaitText(row, "Running");
        String text = await(row).getText();
        // the API server stamps creation itself, so the age is seconds; the round moves when another test patches it
        assertTrue(text.matches("(?s)fashion Running AwaitingLabels [23] [23]00 0\\.7[16]00 accuracy \\d+s"), text);
        screenshot("dashboard-loops.png");

        put(loop("late", "Pending", null, null, null));
        awaitText(By.cssSelector("tr[data-loop='default/late']"), "Pending");
    }

    @Test
    void aFailedLoopShowsItsReason() {
        open("#/");
        By row = By.cssSelector("tr[data-loop='default/broken'] .trouble-cell");
        awaitText(row, "TrainingRunFailed");
        String text = await(row).getText();
        assertTrue(text.contains("TrainingRun/broken-r1 failed: TrainFailed — the trainer exited with code 137 (OOMKilled)"), text);
    }

    @Test
    void theCurveGainsAPointWhenARoundFinishes() {
        open("#/loop/default/fashion");
        await(By.cssSelector("#curve[data-points='2'] canvas"));
        awaitText(By.cssSelector("tr[data-round='2']"), "37");
        browser.driver.executeScript("window.notReloaded = true;");

        client.resources(ActiveLearningLoop.class).inNamespace(NS).withName("fashion").editStatus(l -> trained(l, 3, 300, 0.76));
        await(By.cssSelector("#curve[data-points='3'] canvas"));
        awaitText(By.cssSelector("tr[data-round='3']"), "0.7600");
        assertEquals(Boolean.TRUE, browser.driver.executeScript("return window.notReloaded === true;"), "followed live, not reloaded");
        assertTrue(browser.driver.getPageSource().contains("37 of 100 labeled"), "the round's event");
    }

    @Test
    void aBenchLoopIsDrawnWithItsBenchsBand() throws Exception {
        open("#/loop/default/bench-margin-s0");
        await(By.cssSelector("#curve[data-points='5'] canvas"));
        String legend = await(By.cssSelector("#curve .u-legend")).getText();
        assertTrue(legend.contains("margin (3 seeds) mean") && legend.contains("random (3 seeds) +1 sd"), legend);
        screenshot("dashboard-bench-loop.png");
        open("#/loop/default/fashion");
        await(By.cssSelector("#curve[data-points] canvas"));
        screenshot("dashboard-loop.png");
    }

    @Test
    void aDatasetShowsItsPoolMap() throws Exception {
        open("#/dataset/default/fashion");
        WebElement map = await(By.cssSelector("#map img"));
        assertTrue(map.getAttribute("src").startsWith("data:image/svg+xml"), map.getAttribute("src"));
        screenshot("dashboard-dataset.png");
    }

    @Test
    void aDatasetWithoutEmbeddingsSaysWhyThereIsNoMap() {
        Dataset plain = Fixtures.dataset("plain");
        put(plain);
        open("#/dataset/default/plain");
        awaitText(By.id("map-why-not"), "no self-supervised embeddings");
    }

    private static void screenshot(String name) throws Exception {
        String to = System.getProperty("winnow.dashboard.screenshots");
        if (to != null) {
            Thread.sleep(500);
            browser.screenshot(Path.of(to).resolve(name));
        }
    }
}
