package dev.winnow.dashboard;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetSpec;
import dev.winnow.api.v1alpha1.DatasetStatus;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.SelectionRoundSpec;
import dev.winnow.api.v1alpha1.SelectionRoundStatus;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.api.v1alpha1.TrainingRunStatus;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.local.bench.BenchLabels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/** Objects as the operator leaves them, built in memory: for the view tests and, created in the embedded API, the browser's. */
final class Fixtures {
    static final String NS = "default";
    static final String CREATED = "2026-01-01T10:00:00Z";

    private Fixtures() {
    }

    static ObjectMeta meta(String name, Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(name).withNamespace(NS).withLabels(labels).withCreationTimestamp(CREATED).build();
    }

    static Dataset dataset(String name) {
        Dataset d = new Dataset();
        d.setMetadata(meta(name, Map.of()));
        d.setSpec(new DatasetSpec());
        d.getSpec().artifacts = new DatasetSpec.Artifacts();
        d.getSpec().artifacts.uri = "file:///tmp/winnow-dashboard-test/artifacts/";
        d.setStatus(new DatasetStatus());
        d.getStatus().phase = "Ready";
        d.getStatus().samples = 60000L;
        d.getStatus().labeled = 300L;
        return d;
    }

    /** A loop on Dataset fashion in the given phase; bench labels when bench is not null. */
    static ActiveLearningLoop loop(String name, String phase, String bench, String strategy, String seed) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (bench != null) {
            labels.put(BenchLabels.BENCH, bench);
            labels.put(BenchLabels.STRATEGY, strategy);
            labels.put(BenchLabels.SEED, seed);
        }
        ActiveLearningLoop l = new ActiveLearningLoop();
        l.setMetadata(meta(name, labels));
        l.setSpec(new ActiveLearningLoopSpec());
        l.getSpec().datasetRef = "fashion";
        l.setStatus(new ActiveLearningLoopStatus());
        l.getStatus().phase = phase;
        l.getStatus().metricName = "accuracy";
        l.getStatus().round = 0;
        return l;
    }

    /** Appends round r's history entry, as the operator does when the round's training ends. */
    static ActiveLearningLoop trained(ActiveLearningLoop l, int round, long labeled, double accuracy) {
        var e = new ActiveLearningLoopStatus.RoundEntry();
        e.round = round;
        e.labeled = labeled;
        e.trainingRun = l.getMetadata().getName() + "-r" + round;
        e.metrics = Map.of("accuracy", accuracy);
        l.getStatus().history.add(e);
        l.getStatus().round = round;
        l.getStatus().labeled = labeled;
        l.getStatus().lastMetric = accuracy;
        return l;
    }

    static Map<String, String> childLabels(String loop, int round) {
        return Map.of(Snapshot.LOOP_LABEL, loop, Snapshot.ROUND_LABEL, Integer.toString(round));
    }

    static SelectionRound selection(String loop, int round, String phase, long picks, long labeled, long open) {
        SelectionRound r = new SelectionRound();
        r.setMetadata(meta(loop + "-r" + round, childLabels(loop, round)));
        r.setSpec(new SelectionRoundSpec());
        r.getSpec().datasetRef = "fashion";
        r.setStatus(new SelectionRoundStatus());
        r.getStatus().phase = phase;
        r.getStatus().selected = picks;
        r.getStatus().labeled = labeled;
        r.getStatus().open = open;
        r.getStatus().skipped = 0L;
        r.getStatus().selectSeconds = 1.5;
        return r;
    }

    static TrainingRun training(String loop, int round, String phase) {
        TrainingRun t = new TrainingRun();
        t.setMetadata(meta(loop + "-r" + round, childLabels(loop, round)));
        t.setSpec(new TrainingRunSpec());
        t.getSpec().datasetRef = "fashion";
        t.setStatus(new TrainingRunStatus());
        t.getStatus().phase = phase;
        return t;
    }

    /** Sets a condition as the operator would (keyed by type). */
    static <S extends WinnowStatus> S condition(S status, String type, String value, String reason, String message) {
        status.conditions.removeIf(c -> c.getType().equals(type));
        Condition c = new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastTransitionTime(CREATED).build();
        status.conditions.add(c);
        return status;
    }
}
