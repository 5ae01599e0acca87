package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GitOps team edits a loop in Git after it finished: edits that leave more to do resume it from
 * where it stopped, others are refused with a condition and an Event, and observedGeneration always
 * says the operator has seen the latest spec.
 */
class GitOpsEditsTest extends ClusterTest {

    @Test
    void aFinishedLoopResumesWhenMaxRoundsIsRaised() {
        runToTheEnd(Manifests.loop("fashion", "fashion", 2), "Succeeded");
        int jobsBefore = kubelet.ran().size();

        edit(l -> l.getSpec().stopWhen.maxRounds = 4);
        var status = awaitSeen(s -> phase(s, "Succeeded") && s.round == 4);
        assertEquals("MaxRounds", status.stopReason);
        assertEquals(List.of(1, 2, 3, 4), status.history.stream().map(h -> h.round).toList(), "rounds 1 and 2 kept, 3 and 4 added");
        assertEquals(List.of(100L, 150L, 200L, 250L), status.history.stream().map(h -> h.labeled).toList());
        assertEquals(List.of("fashion-r2-infer", "fashion-r2-select", "fashion-r2-await",
                        "fashion-r3-train", "fashion-r3-infer", "fashion-r3-select", "fashion-r3-await", "fashion-r4-train"),
                kubelet.ran().subList(jobsBefore, kubelet.ran().size()),
                "round 2, planned as the last, skipped inference: its selection infers first; round 4 skips it again");
        SelectionRound r2 = get(SelectionRound.class, "fashion-r2");
        assertEquals("fashion-r2-infer", r2.getStatus().inferJob);
        assertTrue(r2.getStatus().predictions.endsWith("/runs/fashion-r2/predictions/" + r2.getMetadata().getUid() + "/"),
                r2.getStatus().predictions);
        assertNull(get(TrainingRun.class, "fashion-r2").getStatus().predictions);
        var select = cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE).withName("fashion-r2-select").get();
        assertTrue(select.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .anyMatch(e -> e.getName().equals(dev.winnow.contract.Variables.PREDICTIONS) && e.getValue().equals(r2.getStatus().predictions)),
                "the select step reads what the round's infer step wrote");
        assertTrue(get(TrainingRun.class, "fashion-r4").getSpec().inference.skip);
        assertNull(get(TrainingRun.class, "fashion-r3").getSpec().inference == null ? null
                : get(TrainingRun.class, "fashion-r3").getSpec().inference.skip);
        assertEquals(kubelet.ran().size(), new HashSet<>(kubelet.ran()).size(), kubelet.ran().toString());
        var applied = Conditions.find(status, Conditions.SPEC_APPLIED).orElseThrow();
        assertEquals("True", applied.getStatus());
        assertEquals("Resumed", applied.getReason());
        assertEquals(1, events("Resumed").size());
        assertEquals(List.of("trained 2 rounds (maxRounds 2)", "trained 4 rounds (maxRounds 4)"),
                events("MaxRounds").stream().map(Event::getMessage).sorted().toList(), "one MaxRounds Event per end");
        assertTrue(status.completionTime != null);
    }

    @Test
    void raisingTheLabelBudgetResumesAFinishedLoop() {
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 10);
        loop.getSpec().stopWhen.labelBudget = 180L;
        runToTheEnd(loop, "Succeeded");

        edit(l -> l.getSpec().stopWhen.labelBudget = 260L);
        var status = awaitSeen(s -> phase(s, "Succeeded") && s.requested == 260L);
        assertEquals("LabelBudget", status.stopReason);
        assertEquals(5, status.round, "100 + 50 + 30 by round 3, then 50 and 30 more");
    }

    @Test
    void raisingTheMetricTargetResumesAFinishedLoop() {
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 10);
        loop.getSpec().stopWhen.metric = new ActiveLearningLoopSpec.MetricThreshold();
        loop.getSpec().stopWhen.metric.atLeast = 0.7;
        assertEquals(2, runToTheEnd(loop, "Succeeded").round);

        edit(l -> l.getSpec().stopWhen.metric.atLeast = 0.8);
        var status = awaitSeen(s -> phase(s, "Succeeded") && s.round == 3);
        assertEquals("MetricReached", status.stopReason);
    }

    @Test
    void anEditThatCannotApplyAfterTheEndIsAConditionAndAWarning() {
        runToTheEnd(Manifests.loop("fashion", "fashion", 2), "Succeeded");
        int jobs = kubelet.ran().size();

        edit(l -> l.getSpec().round.selection.count = 70);
        var status = awaitSeen(s -> Conditions.find(s, Conditions.SPEC_APPLIED).isPresent());
        assertEquals("Succeeded", status.phase, "the loop keeps its result");
        var applied = Conditions.find(status, Conditions.SPEC_APPLIED).orElseThrow();
        assertEquals("False", applied.getStatus());
        assertEquals("EditNotApplied", applied.getReason());
        assertTrue(applied.getMessage().startsWith("generation 2 changes nothing for a loop that has finished (MaxRounds: trained 2 rounds"),
                applied.getMessage());
        assertEquals(1, events("EditNotApplied").size());
        assertEquals("Warning", events("EditNotApplied").get(0).getType());
        assertEquals(jobs, kubelet.ran().size(), "nothing new runs");
        assertEquals(2, cluster.client.resources(TrainingRun.class).inNamespace(MockCluster.NAMESPACE).list().getItems().size());
    }

    @Test
    void aFailedLoopRefusesEditsAndSaysHowToStartOver() {
        kubelet.on("infer", (job, i, env) -> TestKubelet.PodResult.fail("CUDA error: out of memory"));
        ActiveLearningLoop loop = Manifests.loop("fashion", "fashion", 2);
        loop.getSpec().round.backoffLimit = 0;
        runToTheEnd(loop, "Failed");

        edit(l -> l.getSpec().stopWhen.maxRounds = 3);
        var status = awaitSeen(s -> Conditions.find(s, Conditions.SPEC_APPLIED).isPresent());
        assertEquals("Failed", status.phase);
        var applied = Conditions.find(status, Conditions.SPEC_APPLIED).orElseThrow();
        assertTrue(applied.getMessage().contains("cannot apply to a failed loop (ChildFailed")
                && applied.getMessage().endsWith("delete the loop and apply it again"), applied.getMessage());
    }

    @Test
    void aFinishedRunSaysAnEditIsNotApplied() {
        // the CRD makes a run's spec immutable; a cluster without CEL lets the edit through
        create(Manifests.dataset("fashion"));
        create(Manifests.trainingRun("fashion-r1", "fashion"));
        await(TrainingRun.class, "fashion-r1", s -> phase(s, "Succeeded"));
        TrainingRun run = get(TrainingRun.class, "fashion-r1");
        run.getSpec().backoffLimit = 5;
        cluster.client.resource(run).update();

        var status = await(TrainingRun.class, "fashion-r1", s -> Long.valueOf(2).equals(s.observedGeneration)).getStatus();
        assertEquals("Succeeded", status.phase);
        assertEquals("EditNotApplied", Conditions.find(status, Conditions.SPEC_APPLIED).orElseThrow().getReason());
        assertTrue(cluster.client.resources(SelectionRound.class).inNamespace(MockCluster.NAMESPACE).list().getItems().isEmpty());
    }

    private ActiveLearningLoopStatus runToTheEnd(ActiveLearningLoop loop, String phase) {
        create(Manifests.dataset("fashion"));
        create(loop);
        return await(ActiveLearningLoop.class, "fashion", s -> phase(s, phase)).getStatus();
    }

    private void edit(Consumer<ActiveLearningLoop> change) {
        ActiveLearningLoop current = get(ActiveLearningLoop.class, "fashion");
        change.accept(current);
        cluster.client.resource(current).update();
    }

    /** Waits until status describes the newest generation and satisfies the predicate. */
    private ActiveLearningLoopStatus awaitSeen(java.util.function.Predicate<ActiveLearningLoopStatus> until) {
        return await(ActiveLearningLoop.class, "fashion", s -> {
            Long generation = get(ActiveLearningLoop.class, "fashion").getMetadata().getGeneration();
            return generation.equals(s.observedGeneration) && until.test(s);
        }).getStatus();
    }

    private List<Event> events(String reason) {
        return cluster.client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "ActiveLearningLoop".equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()))
                .toList();
    }
}
