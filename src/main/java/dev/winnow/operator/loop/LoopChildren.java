package dev.winnow.operator.loop;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopSpec;
import dev.winnow.api.v1alpha1.LabelingSpec;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.SelectionRoundSpec;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.TrainingRunSpec;
import dev.winnow.operator.job.StepJobBuilder;
import dev.winnow.operator.naming.Names;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The children a loop creates, with deterministic names (round r: TrainingRun and SelectionRound
 * both named {@code <loop>-r<r>}, shortened by {@link Names} when too long; the initial selection
 * is round 0), so a restarted operator finds what it made instead of making it twice.
 */
public final class LoopChildren {
    public static final String LOOP_LABEL = "winnow.dev/loop";
    public static final String ROUND_LABEL = "winnow.dev/round";

    private LoopChildren() {
    }

    public static String name(ActiveLearningLoop loop, int round) {
        return Names.child(loop.getMetadata().getName(), round);
    }

    static SelectionRound selection(ActiveLearningLoop loop, int round, int count) {
        ActiveLearningLoopSpec spec = loop.getSpec();
        var child = new SelectionRound();
        child.setMetadata(metadata(loop, round));
        var s = new SelectionRoundSpec();
        s.datasetRef = spec.datasetRef;
        if (round == 0) {
            s.strategy = spec.initialSelection.strategy;
        } else {
            s.trainingRunRef = name(loop, round);
            s.strategy = spec.round.selection.strategy;
        }
        s.count = count;
        s.exclude = new SelectionRoundSpec.Exclude();
        s.exclude.allLabeled = true;
        // earlier rounds' picks may still be with the labelers (online mode): never pick them twice
        List<String> earlier = new ArrayList<>();
        for (int r = 0; r < round; r++) {
            earlier.add(name(loop, r));
        }
        s.exclude.tags = earlier.isEmpty() ? null : earlier;
        s.tag = name(loop, round);
        s.seed = spec.seed == null ? null : spec.seed + round;
        s.round = round;
        s.labeling = labeling(spec.labeling, count);
        s.selector = spec.round.selector;
        s.backoffLimit = spec.round.backoffLimit;
        child.setSpec(s);
        return child;
    }

    /**
     * The loop's labeling, with proceedAfter cut to the round's count: a round cut short by the label
     * budget or by what the pool has left must not wait for more labels than it asked for.
     */
    private static LabelingSpec labeling(LabelingSpec loop, int count) {
        if (loop == null || loop.proceedAfter == null || loop.proceedAfter <= count) {
            return loop;
        }
        var l = new LabelingSpec();
        l.mode = loop.mode;
        l.proceedAfter = count;
        l.groundTruth = loop.groundTruth;
        l.pollSeconds = loop.pollSeconds;
        return l;
    }

    /**
     * @param last         the round the loop plans to be its last: its run skips inference (spec.inference.skip)
     * @param pseudoLabels the round's pseudo-labels ({@link PseudoLabelSchedule}), or null
     */
    static TrainingRun training(ActiveLearningLoop loop, int round, boolean last, TrainingRunSpec.PseudoLabels pseudoLabels) {
        ActiveLearningLoopSpec spec = loop.getSpec();
        var child = new TrainingRun();
        child.setMetadata(metadata(loop, round));
        var s = new TrainingRunSpec();
        s.datasetRef = spec.datasetRef;
        s.trainOn = new TrainingRunSpec.TrainOn();
        s.trainOn.allLabeled = true;
        boolean resume = spec.round.resumeFromPrevious == null || spec.round.resumeFromPrevious;
        if (resume && round > 1) {
            s.resumeFrom = new TrainingRunSpec.ResumeFrom();
            s.resumeFrom.trainingRun = name(loop, round - 1);
        }
        s.seed = spec.seed == null ? null : spec.seed + round;
        s.trainer = spec.round.trainer;
        s.inference = last ? skipped(spec.round.inference) : spec.round.inference;
        s.pseudoLabels = pseudoLabels;
        s.backoffLimit = spec.round.backoffLimit;
        s.activeDeadlineSeconds = spec.round.activeDeadlineSeconds;
        child.setSpec(s);
        return child;
    }

    /** A copy of the loop's inference settings that skips the step; the settings stay for a round that infers later. */
    private static TrainingRunSpec.Inference skipped(TrainingRunSpec.Inference inference) {
        TrainingRunSpec.Inference copy = inference == null ? new TrainingRunSpec.Inference()
                : Serialization.clone(inference);
        copy.skip = true;
        return copy;
    }

    private static ObjectMeta metadata(ActiveLearningLoop loop, int round) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LOOP_LABEL, loop.getMetadata().getName());
        labels.put(ROUND_LABEL, String.valueOf(round));
        Map<String, String> loopLabels = loop.getMetadata().getLabels();
        if (loopLabels != null && loopLabels.containsKey(StepJobBuilder.KUEUE_QUEUE)) {
            labels.put(StepJobBuilder.KUEUE_QUEUE, loopLabels.get(StepJobBuilder.KUEUE_QUEUE));
        }
        return new ObjectMetaBuilder()
                .withName(name(loop, round))
                .withNamespace(loop.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(loop.getApiVersion()).withKind(loop.getKind())
                        .withName(loop.getMetadata().getName()).withUid(loop.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .build();
    }
}
