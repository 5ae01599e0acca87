package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import io.fabric8.kubernetes.api.model.EventBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.winnow.dashboard.Fixtures.condition;
import static dev.winnow.dashboard.Fixtures.loop;
import static dev.winnow.dashboard.Fixtures.selection;
import static dev.winnow.dashboard.Fixtures.trained;
import static dev.winnow.dashboard.Fixtures.training;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's view model: pure functions from what the informers hold to rows and curves. */
class ViewsTest {

    private static Snapshot snapshot(List<ActiveLearningLoop> loops) {
        return new Snapshot(loops, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void loopsAreGroupedByNamespaceAndSortedByName() {
        ActiveLearningLoop b = loop("b", "Running", null, null, null);
        ActiveLearningLoop a = loop("a", "Running", null, null, null);
        ActiveLearningLoop other = loop("c", "Succeeded", null, null, null);
        other.getMetadata().setNamespace("team-b");
        LoopRows.Page page = LoopRows.of(snapshot(List.of(b, other, a)));
        assertEquals(List.of("default", "team-b"), page.namespaces().stream().map(LoopRows.Namespace::name).toList());
        assertEquals(List.of("a", "b"), page.namespaces().get(0).loops().stream().map(LoopRows.Row::name).toList());
    }

    @Test
    void aFailedLoopAndItsFailedOrStuckChildrenSayWhy() {
        ActiveLearningLoop l = loop("fashion", "Failed", null, null, null);
        condition(l.getStatus(), "Failed", "True", "TrainingRunFailed", "fashion-r2 failed");
        var run = training("fashion", 2, "Failed");
        condition(run.getStatus(), "Failed", "True", "TrainFailed", "exit code 1");
        var waiting = selection("fashion", 1, "Pending", 100, 0, 100);
        condition(waiting.getStatus(), "Progressing", "False", "PodsNotStarting", "image cannot be pulled");
        var fine = training("fashion", 1, "Succeeded");
        condition(fine.getStatus(), "Progressing", "False", "Completed", "done");
        var stranger = training("other", 1, "Failed");
        condition(stranger.getStatus(), "Failed", "True", "TrainFailed", "not this loop's");
        Snapshot s = new Snapshot(List.of(l), List.of(waiting), List.of(run, fine, stranger), List.of(), List.of(), List.of());

        List<Trouble> trouble = LoopRows.of(s).namespaces().get(0).loops().get(0).trouble();
        assertEquals(List.of(
                new Trouble("ActiveLearningLoop", "fashion", "Failed", "TrainingRunFailed", "fashion-r2 failed"),
                new Trouble("SelectionRound", "fashion-r1", "Stuck", "PodsNotStarting", "image cannot be pulled"),
                new Trouble("TrainingRun", "fashion-r2", "Failed", "TrainFailed", "exit code 1")), trouble);
    }

    @Test
    void aLoneLoopsCurveIsItsHistory() {
        ActiveLearningLoop l = trained(trained(loop("fashion", "Running", null, null, null), 1, 100, 0.6), 2, 200, 0.7);
        Curves.Chart chart = Curves.of(snapshot(List.of(l)), l);
        assertEquals("accuracy", chart.metric());
        assertEquals(List.of(100L, 200L), chart.labeled());
        assertEquals(1, chart.lines().size());
        assertEquals(new Curves.Line("fashion", "self", "?", List.of(0.6, 0.7)), chart.lines().get(0));
    }

    @Test
    void aBenchLoopIsDrawnWithItsBenchAndTheBandOfEachStrategyWithTwoSeeds() {
        ActiveLearningLoop m0 = trained(trained(loop("m0", "Succeeded", "b", "margin", "0"), 1, 100, 0.6), 2, 200, 0.8);
        ActiveLearningLoop m1 = trained(trained(loop("m1", "Succeeded", "b", "margin", "1"), 1, 100, 0.4), 2, 200, 0.6);
        ActiveLearningLoop r0 = trained(loop("r0", "Running", "b", "random", "0"), 1, 100, 0.5);
        ActiveLearningLoop elsewhere = trained(loop("x", "Running", "other", "margin", "0"), 1, 150, 0.1);
        Curves.Chart chart = Curves.of(snapshot(List.of(m0, m1, r0, elsewhere)), m0);

        assertEquals(List.of(100L, 200L), chart.labeled());
        assertEquals(List.of("m0:self", "m1:loop", "r0:loop", "margin (2 seeds) mean:mean", "margin (2 seeds) -1 sd:lower",
                "margin (2 seeds) +1 sd:upper"), chart.lines().stream().map(x -> x.label() + ":" + x.role()).toList());
        assertEquals(java.util.Arrays.asList(0.5, null), chart.lines().get(2).values());
        double sd100 = Math.sqrt(0.02);
        List<Double> mean = chart.lines().get(3).values();
        assertEquals(0.5, mean.get(0), 1e-12);
        assertEquals(0.7, mean.get(1), 1e-12);
        assertEquals(0.5 - sd100, chart.lines().get(4).values().get(0), 1e-12);
        assertEquals(0.5 + sd100, chart.lines().get(5).values().get(0), 1e-12);
    }

    @Test
    void roundsJoinTrainingSelectionAndHistory() {
        ActiveLearningLoop l = trained(loop("fashion", "Running", null, null, null), 1, 100, 0.6);
        Snapshot s = new Snapshot(List.of(l),
                List.of(selection("fashion", 0, "Succeeded", 100, 100, 0), selection("fashion", 1, "Running", 100, 40, 60)),
                List.of(training("fashion", 1, "Succeeded")), List.of(), List.of(), List.of());
        List<LoopPages.Round> rounds = LoopPages.of(s, "default", "fashion").orElseThrow().rounds();
        assertEquals(2, rounds.size());
        assertNull(rounds.get(0).trainingRun());
        assertEquals(new LoopPages.Round(1, "fashion-r1", "Succeeded", 100L, 0.6, "fashion-r1", "Running", 1.5, 100L,
                40L, 0L, 60L), rounds.get(1));
    }

    @Test
    void eventsAreThoseOfTheLoopAndItsChildrenNewestFirst() {
        ActiveLearningLoop l = loop("fashion", "Running", null, null, null);
        var child = training("fashion", 1, "Running");
        var older = event("e1", "ActiveLearningLoop", "fashion", "Started", "2026-01-01T10:00:00Z");
        var newer = event("e2", "TrainingRun", "fashion-r1", "Training", "2026-01-01T10:05:00Z");
        var unrelated = event("e3", "TrainingRun", "other-r1", "Training", "2026-01-01T10:06:00Z");
        Snapshot s = new Snapshot(List.of(l), List.of(), List.of(child), List.of(), List.of(older, newer, unrelated), List.of());
        assertEquals(List.of("TrainingRun/fashion-r1", "ActiveLearningLoop/fashion"),
                LoopPages.of(s, "default", "fashion").orElseThrow().events().stream().map(LoopPages.EventRow::object).toList());
    }

    @Test
    void aDatasetWithoutEmbeddingsSaysWhyThereIsNoMap() {
        var d = Fixtures.dataset("fashion");
        Snapshot s = new Snapshot(List.of(loop("fashion-loop", "Running", null, null, null)), List.of(), List.of(),
                List.of(d), List.of(), List.of());
        DatasetPages.Page page = DatasetPages.of(s, "default", "fashion").orElseThrow();
        assertEquals(List.of("fashion-loop"), page.loops());
        assertNull(page.mapVersion());
        assertTrue(page.mapWhyNot().contains("no self-supervised embeddings"), page.mapWhyNot());
    }

    @Test
    void theViewsAreJson() {
        ActiveLearningLoop l = trained(loop("fashion", "Running", null, null, null), 1, 100, 0.6);
        String json = DashboardServer.json(DashboardServer.view("loop", "default", "fashion").apply(snapshot(List.of(l))));
        assertTrue(json.contains("\"labeled\":[100]"), json);
        assertEquals("null", DashboardServer.json(DashboardServer.view("loop", "default", "gone").apply(snapshot(List.of(l)))));
        assertNull(DashboardServer.view("loop", null, "x"));
    }

    private static io.fabric8.kubernetes.api.model.Event event(String name, String kind, String object, String reason, String at) {
        return new EventBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewInvolvedObject().withKind(kind).withName(object).withNamespace("default").endInvolvedObject()
                .withReason(reason).withType("Normal").withMessage(reason).withLastTimestamp(at).build();
    }
}
