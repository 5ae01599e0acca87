package dev.winnow.operator;

import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.StatusReporter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.util.function.Consumer;

/**
 * The three ways a run-to-completion resource (TrainingRun, SelectionRound, ActiveLearningLoop)
 * moves: still progressing, succeeded, failed. Each sets the same conditions the same way.
 */
final class RunOutcomes {
    private RunOutcomes() {
    }

    static <P extends HasMetadata> UpdateControl<P> progressing(StatusReporter report, P resource, WinnowStatus status,
                                                                String reason, String message) {
        report.set(resource, status, Conditions.PROGRESSING, true, reason, message);
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource);
    }

    static <P extends HasMetadata> UpdateControl<P> succeeded(StatusReporter report, P resource, WinnowStatus status,
                                                              String reason, String message, Consumer<String> completedAt) {
        completedAt.accept(report.now());
        report.set(resource, status, Conditions.SUCCEEDED, true, reason, message);
        report.set(resource, status, Conditions.PROGRESSING, false, reason, message);
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource);
    }

    static <P extends HasMetadata> UpdateControl<P> failed(StatusReporter report, P resource, WinnowStatus status,
                                                           String reason, String message, Consumer<String> completedAt) {
        completedAt.accept(report.now());
        report.set(resource, status, Conditions.FAILED, true, reason, message);
        report.set(resource, status, Conditions.SUCCEEDED, false, reason, message);
        report.set(resource, status, Conditions.PROGRESSING, false, reason, message);
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource);
    }
}
