package dev.winnow.operator;

import dev.winnow.api.v1alpha1.RunStatus;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.job.StepOutcome;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import dev.winnow.operator.status.StatusReporter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;


/**
 * The ways a run-to-completion resource (TrainingRun, SelectionRound, ActiveLearningLoop) moves:
 * still progressing (or stuck on a step), succeeded, failed. Each sets the same conditions the same way.
 */
final class RunOutcomes {
    private RunOutcomes() {
    }

    static <P extends HasMetadata> UpdateControl<P> progressing(StatusReporter report, P resource, WinnowStatus status,
                                                                Reason reason, String message) {
        report.set(resource, status, Conditions.PROGRESSING, true, reason, message);
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource);
    }

    /**
     * A step that has not ended: progressing with the given message (looked at again soon while its
     * pods are starting); stuck (Progressing=False with the reason and the API server's or the
     * kubelet's words) when its pods cannot be created or cannot start; or, while the Job only
     * settles, nothing new, so no message flickers and no event is written.
     */
    static <P extends HasMetadata> UpdateControl<P> underWay(StatusReporter report, P resource, WinnowStatus status,
                                                             Reason stage, StepOutcome step, String message) {
        if (step.state() == StepOutcome.State.STUCK) {
            report.set(resource, status, Conditions.PROGRESSING, false, step.reason(), step.message());
            report.finish(resource, status, step.message());
            return UpdateControl.patchStatus(resource);
        }
        if (step.state() == StepOutcome.State.SETTLING && saysAlready(resource, status, stage)) {
            return UpdateControl.noUpdate();
        }
        UpdateControl<P> control = progressing(report, resource, status, stage, step.state() == StepOutcome.State.SETTLING ? step.message() : message);
        return step.state() == StepOutcome.State.STARTING ? control.rescheduleAfter(StepOutcome.RECHECK_STARTING) : control;
    }

    static <P extends HasMetadata> UpdateControl<P> underWay(StatusReporter report, P resource, WinnowStatus status,
                                                             Reason stage, StepOutcome step) {
        return underWay(report, resource, status, stage, step, step.message());
    }

    /** Status already says this stage is under way, for this generation of the spec. */
    private static boolean saysAlready(HasMetadata resource, WinnowStatus status, Reason stage) {
        return Conditions.find(status, Conditions.PROGRESSING)
                .filter(c -> "True".equals(c.getStatus()) && stage.name().equals(c.getReason())).isPresent() && seen(resource, status);
    }

    /** Status describes the current spec: no edit has come since. */
    static boolean seen(HasMetadata resource, WinnowStatus status) {
        return java.util.Objects.equals(status.observedGeneration, resource.getMetadata().getGeneration());
    }

    /**
     * A finished run (TrainingRun, SelectionRound) whose spec changed anyway (a cluster without the
     * CRDs' immutability rules): nothing changes after the fact, and a condition and an Event say so,
     * once per generation, so observedGeneration still tells a GitOps tool the edit was seen.
     */
    static <P extends HasMetadata> UpdateControl<P> finished(StatusReporter report, P resource, WinnowStatus status) {
        if (seen(resource, status)) {
            return UpdateControl.noUpdate();
        }
        return editNotApplied(report, resource, status, "generation " + resource.getMetadata().getGeneration() + " is not applied: a finished "
                + resource.getKind() + " does not change; create a new one");
    }

    static <P extends HasMetadata> UpdateControl<P> editNotApplied(StatusReporter report, P resource, WinnowStatus status, String message) {
        report.set(resource, status, Conditions.SPEC_APPLIED, false, Reason.EditNotApplied, message);
        report.warn(resource, Reason.EditNotApplied, message);
        // every condition was judged against this generation too: none is stale because the edit changed nothing
        Long generation = resource.getMetadata().getGeneration();
        status.conditions.forEach(c -> c.setObservedGeneration(generation));
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource);
    }

    static <P extends HasMetadata> UpdateControl<P> succeeded(StatusReporter report, P resource, RunStatus status,
                                                              Reason reason, String message) {
        status.completionTime = report.now();
        report.set(resource, status, Conditions.SUCCEEDED, true, reason, message);
        report.set(resource, status, Conditions.PROGRESSING, false, reason, message);
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource);
    }

    static <P extends HasMetadata> UpdateControl<P> failed(StatusReporter report, P resource, RunStatus status,
                                                           Reason reason, String message) {
        status.completionTime = report.now();
        report.set(resource, status, Conditions.FAILED, true, reason, message);
        report.set(resource, status, Conditions.SUCCEEDED, false, reason, message);
        report.set(resource, status, Conditions.PROGRESSING, false, reason, message);
        report.finish(resource, status, message);
        return UpdateControl.patchStatus(resource);
    }
}
