package dev.winnow.operator.loop;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.SelectionRoundStatus;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.Manifests;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * LoopPlanner on its own: the children that exist (with their statuses) in, one decision out. Every
 * kind of decision, each stop rule, and the progress it reports.
 */
class LoopPlannerTest {
    private static final Conditions CONDITIONS = new Conditions(Clock.systemUTC());

    private final ActiveLearningLoop loop = Manifests.loop("l", "data", 3);
    private final Map<String, TrainingRun> runs = new HashMap<>();
    private final Map<String, SelectionRound> rounds = new HashMap<>();
    /** The Dataset's pool size; null: unknown, so the plan says nothing of exhausting it. */
    private Long pool;

    {
        loop.getMetadata().setUid("uid-l");
    }

    private LoopPlanner.Plan plan() {
        return LoopPlanner.plan(loop, runs, rounds, 10, pool);
    }

    private <D extends LoopPlanner.Decision> D decision(Class<D> type) {
        return assertInstanceOf(type, plan().decision());
    }

    /** A finished selection of the given size, all labeled. */
    private void selected(int round, long count) {
        var status = new SelectionRoundStatus();
        status.selected = count;
        status.labeled = count;
        succeeded(status);
        rounds.put("l-r" + round, child(new SelectionRound(), round, status));
    }

    private void trained(int round, Double accuracy) {
        var status = new TrainingRunStatus();
        status.metrics = accuracy == null ? Map.of("loss", 0.3) : Map.of("accuracy", accuracy, "loss", 0.3);
        succeeded(status);
        runs.put("l-r" + round, child(new TrainingRun(), round, status));
    }

    private static void succeeded(WinnowStatus status) {
        CONDITIONS.set(status, 1, Conditions.SUCCEEDED, true, Reason.Completed, "done");
    }

    private static <T extends io.fabric8.kubernetes.client.CustomResource<?, S>, S> T child(T child, int round, S status) {
        child.setMetadata(new ObjectMetaBuilder().withName("l-r" + round).build());
        child.setStatus(status);
        return child;
    }

    @Test
    void aNewLoopCreatesItsInitialSelection() {
        var create = decision(LoopPlanner.Create.class);
        var initial = assertInstanceOf(SelectionRound.class, create.child());
        assertEquals("l-r0", initial.getMetadata().getName());
        assertEquals(100, initial.getSpec().count);
        assertNull(initial.getSpec().trainingRunRef, "no model yet");
        assertEquals(Reason.InitialSelection, create.stage());
        assertEquals("round 0: initial selection of 100 with Random", create.message());
        assertEquals(0, plan().round());
    }

    @Test
    void aChildUnderWayIsWaitedFor() {
        var running = new SelectionRoundStatus();
        running.phase = "AwaitingLabels";
        rounds.put("l-r0", child(new SelectionRound(), 0, running));
        var wait = decision(LoopPlanner.Wait.class);
        assertEquals(Reason.AwaitingLabels, wait.stage());
        assertEquals("round 0: SelectionRound 'l-r0' is AwaitingLabels", wait.message());

        selected(0, 100);
        runs.put("l-r1", child(new TrainingRun(), 1, null));
        wait = decision(LoopPlanner.Wait.class);
        assertEquals(Reason.Training, wait.stage(), "a child without status yet is pending in its kind's stage");
        assertEquals("round 1: TrainingRun 'l-r1' is Pending", wait.message());
    }

    @Test
    void afterASelectionItTrainsOnEverythingLabeledWithTheRoundsSeed() {
        selected(0, 100);
        var create = decision(LoopPlanner.Create.class);
        var run = assertInstanceOf(TrainingRun.class, create.child());
        assertEquals("l-r1", run.getMetadata().getName());
        assertEquals(Boolean.TRUE, run.getSpec().trainOn.allLabeled);
        assertNull(run.getSpec().resumeFrom, "round 1 starts fresh");
        assertEquals(2L, run.getSpec().seed, "loop seed 1 + round 1");
        assertEquals("uid-l", run.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals("round 1: training on 110 labeled samples", create.message(), "10 labeled before the loop + 100");
        assertEquals(110, plan().labeled());
    }

    @Test
    void aLabelBudgetSmallerThanThePickSaysSo() {
        loop.getSpec().stopWhen.labelBudget = 60L;
        var create = decision(LoopPlanner.Create.class);
        assertEquals(60, ((SelectionRound) create.child()).getSpec().count);
        assertEquals("round 0: initial selection of 60 with Random (not 100: labelBudget 60 leaves 60)", create.message());
    }

    @Test
    void historySaysWhatEachRoundReallyTrainedOn() {
        selected(0, 100);
        trained(1, 0.5);
        assertEquals(110L, plan().history().get(0).labeled, "without the step's count: those before the loop and its own picks");
        // another loop on the same Dataset labeled 200 more: the train step saw them, and history says so
        runs.get("l-r1").getStatus().trained = 310L;
        assertEquals(310L, plan().history().get(0).labeled);
        assertEquals(110L, plan().labeled(), "the loop's own count stays its own");
    }

    @Test
    void afterTrainingItSelectsFromThatRunExcludingEarlierPicks() {
        selected(0, 100);
        trained(1, 0.5);
        var create = decision(LoopPlanner.Create.class);
        var round = assertInstanceOf(SelectionRound.class, create.child());
        assertEquals("l-r1", round.getSpec().trainingRunRef);
        assertEquals(50, round.getSpec().count);
        assertEquals(List.of("l-r0"), round.getSpec().exclude.tags);
        assertEquals(2L, round.getSpec().seed);
        assertEquals(Reason.Selecting, create.stage());

        selected(1, 50);
        var next = assertInstanceOf(TrainingRun.class, decision(LoopPlanner.Create.class).child());
        assertEquals("l-r1", next.getSpec().resumeFrom.trainingRun, "later rounds continue from the last checkpoint");
        assertEquals(0.5, plan().lastMetric());
        assertEquals(List.of(1), plan().history().stream().map(h -> h.round).toList());
    }

    @Test
    void historyKeepsTheTimeOfTheSelectionThatFollowedEachRound() {
        selected(0, 100);
        trained(1, 0.5);
        assertEquals(null, plan().history().get(0).selectSeconds, "no selection yet");
        selected(1, 50);
        rounds.get("l-r1").getStatus().selectSeconds = 2.5;
        assertEquals(2.5, plan().history().get(0).selectSeconds, "a benchmark reports each strategy's cost from it");
    }

    @Test
    void stopsAfterMaxRounds() {
        selected(0, 100);
        for (int r = 1; r <= 3; r++) {
            trained(r, 0.5 + r / 10.0);
            if (r < 3) {
                selected(r, 50);
            }
        }
        var stop = decision(LoopPlanner.Stop.class);
        assertEquals(Reason.MaxRounds, stop.reason());
        assertEquals("trained 3 rounds (maxRounds 3)", stop.message());
        assertEquals(3, plan().round());
        assertEquals(200, plan().requested());
    }

    @Test
    void stopsWhenThePoolIsExhaustedAndTheLastRoundTakesWhatIsLeft() {
        pool = 140L; // 10 labeled before the loop, 100 picked in round 0: 30 left
        selected(0, 100);
        trained(1, 0.6);
        var create = decision(LoopPlanner.Create.class);
        assertEquals(30, ((SelectionRound) create.child()).getSpec().count, "what the pool has left, not the 50 asked for");
        selected(1, 30);
        trained(2, 0.7);
        var stop = decision(LoopPlanner.Stop.class);
        assertEquals(Reason.PoolExhausted, stop.reason());
    }

    @Test
    void aStopMetricTheTrainerDoesNotReportFailsALoopNothingElseWouldEnd() {
        loop.getSpec().stopWhen.maxRounds = null;
        loop.getSpec().stopWhen.metric = new ActiveLearningLoopSpec.MetricThreshold();
        loop.getSpec().stopWhen.metric.name = "f1-macro";
        loop.getSpec().stopWhen.metric.atLeast = 0.9;
        selected(0, 100);
        trained(1, 0.6);
        var fail = decision(LoopPlanner.Fail.class);
        assertEquals(Reason.MetricNotReported, fail.reason());
        assertTrue(fail.message().contains("f1-macro"), fail.message());

        loop.getSpec().stopWhen.maxRounds = 5; // another rule still ends it: go on, and say so
        assertInstanceOf(LoopPlanner.Create.class, plan().decision());
        assertTrue(plan().metricNotReported().contains("f1-macro"), plan().metricNotReported());
    }

    @Test
    void stopsWhenTheMetricReachesItsThreshold() {
        loop.getSpec().stopWhen.metric = new ActiveLearningLoopSpec.MetricThreshold();
        loop.getSpec().stopWhen.metric.atLeast = 0.8;
        selected(0, 100);
        trained(1, 0.81);
        var stop = decision(LoopPlanner.Stop.class);
        assertEquals(Reason.MetricReached, stop.reason());
        assertEquals("accuracy 0.8100 reached 0.8000 after round 1", stop.message());
    }

    @Test
    void theStopMetricCanBeAnyMetricTheTrainerReports() {
        loop.getSpec().stopWhen.metric = new ActiveLearningLoopSpec.MetricThreshold();
        loop.getSpec().stopWhen.metric.name = "loss";
        loop.getSpec().stopWhen.metric.atLeast = 0.2;
        selected(0, 100);
        trained(1, 0.1);
        assertEquals(Reason.MetricReached, decision(LoopPlanner.Stop.class).reason());
        assertEquals("loss", plan().metricName());
        assertEquals(0.3, plan().lastMetric());
    }

    @Test
    void stopsOnAPlateau() {
        loop.getSpec().stopWhen.maxRounds = 10;
        loop.getSpec().stopWhen.plateau = new ActiveLearningLoopSpec.Plateau();
        loop.getSpec().stopWhen.plateau.rounds = 2;
        loop.getSpec().stopWhen.plateau.minDelta = 0.01;
        selected(0, 100);
        trained(1, 0.70);
        selected(1, 50);
        trained(2, 0.705);
        selected(2, 50);
        assertInstanceOf(LoopPlanner.Create.class, plan().decision(), "one flat round is not a plateau of two");
        trained(3, 0.709);
        var stop = decision(LoopPlanner.Stop.class);
        assertEquals(Reason.Plateau, stop.reason());
        assertEquals("accuracy improved by less than 0.0100 for 2 rounds", stop.message());
    }

    @Test
    void stopsAtTheLabelBudgetAndNeverAsksForMore() {
        loop.getSpec().stopWhen.maxRounds = null;
        loop.getSpec().stopWhen.labelBudget = 180L;
        selected(0, 100);
        trained(1, 0.6);
        assertEquals(50, assertInstanceOf(SelectionRound.class, decision(LoopPlanner.Create.class).child()).getSpec().count);
        selected(1, 50);
        trained(2, 0.7);
        assertEquals(30, assertInstanceOf(SelectionRound.class, decision(LoopPlanner.Create.class).child()).getSpec().count,
                "the last round is cut to what is left of the budget");
        selected(2, 30);
        trained(3, 0.75);
        var stop = decision(LoopPlanner.Stop.class);
        assertEquals(Reason.LabelBudget, stop.reason());
        assertEquals("asked for 180 labels (labelBudget 180)", stop.message());
    }

    @Test
    void aFailedChildFailsTheLoop() {
        selected(0, 100);
        var failed = new TrainingRunStatus();
        CONDITIONS.set(failed, 1, Conditions.FAILED, true, Reason.TrainFailed, "out of memory");
        failed.message = "step train failed: out of memory";
        runs.put("l-r1", child(new TrainingRun(), 1, failed));
        var fail = decision(LoopPlanner.Fail.class);
        assertEquals(Reason.ChildFailed, fail.reason());
        assertEquals("TrainingRun 'l-r1' failed: step train failed: out of memory", fail.message());
    }

    @Test
    void aChildHeldByAProblemMakesTheLoopStuckButOneWaitingDoesNot() {
        selected(0, 100);
        var waiting = new TrainingRunStatus();
        CONDITIONS.set(waiting, 1, Conditions.PROGRESSING, false, Reason.WaitingForResumeSource, "waiting for TrainingRun 'x'");
        waiting.phase = Reason.WaitingForResumeSource.name();
        runs.put("l-r1", child(new TrainingRun(), 1, waiting));
        assertInstanceOf(LoopPlanner.Wait.class, plan().decision());

        var refused = new TrainingRunStatus();
        CONDITIONS.set(refused, 1, Conditions.PROGRESSING, false, Reason.PodsForbidden, "Job l-r1-train cannot create pods: ...");
        refused.phase = Reason.PodsForbidden.name();
        runs.put("l-r1", child(new TrainingRun(), 1, refused));
        var stuck = decision(LoopPlanner.Stuck.class);
        assertEquals(Reason.PodsForbidden, stuck.reason());
        assertEquals(Reason.Training, stuck.stage());
        assertEquals("round 1: TrainingRun 'l-r1' is stuck: Job l-r1-train cannot create pods: ...", stuck.message());
    }

    @Test
    void historyIsBounded() {
        loop.getSpec().stopWhen.maxRounds = 100;
        selected(0, 100);
        int rounds = ActiveLearningLoopStatus.MAX_HISTORY + 5;
        for (int r = 1; r <= rounds; r++) {
            trained(r, 0.5);
            selected(r, 1);
        }
        List<ActiveLearningLoopStatus.RoundEntry> history = plan().history();
        assertEquals(ActiveLearningLoopStatus.MAX_HISTORY, history.size());
        assertEquals(rounds, history.get(history.size() - 1).round, "the newest rounds are kept");
    }
}
