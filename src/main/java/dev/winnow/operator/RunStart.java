package dev.winnow.operator;

import dev.winnow.api.v1alpha1.RunStatus;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import dev.winnow.operator.status.StatusReporter;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The start every run-to-completion reconcile shares (TrainingRun, SelectionRound,
 * ActiveLearningLoop): a status to write into, a finished run left as it is, and a spec with problems
 * refused before anything is looked up or created.
 */
final class RunStart {
    private RunStart() {
    }

    /**
     * How the reconcile ends before any work, or empty to go on; either way the resource has a status.
     *
     * @param whenFinished what a finished run does: end (usually), or go on (a loop that an edit resumes)
     * @param specProblems the resource's own checks, after the name's
     * @param refuse       how it fails on a problem in its spec
     */
    static <P extends CustomResource<?, S>, S extends RunStatus> Optional<UpdateControl<P>> check(
            P resource, Supplier<S> newStatus, Function<S, Optional<UpdateControl<P>>> whenFinished,
            Supplier<Optional<String>> specProblems, BiFunction<S, String, UpdateControl<P>> refuse) {
        if (resource.getStatus() == null) {
            resource.setStatus(newStatus.get());
        }
        S status = resource.getStatus();
        if (Conditions.isTrue(status, Conditions.SUCCEEDED) || Conditions.isTrue(status, Conditions.FAILED)) {
            Optional<UpdateControl<P>> end = whenFinished.apply(status);
            if (end.isPresent()) {
                return end;
            }
        }
        return SpecProblems.name(resource).or(specProblems).map(problem -> refuse.apply(status, problem));
    }

    /** A TrainingRun or SelectionRound: a finished one never changes, a spec problem fails it. */
    static <P extends CustomResource<?, S>, S extends RunStatus> Optional<UpdateControl<P>> check(
            StatusReporter report, P resource, Supplier<S> newStatus, Supplier<Optional<String>> specProblems) {
        return check(resource, newStatus, status -> Optional.of(RunOutcomes.finished(report, resource, status)), specProblems,
                (status, problem) -> RunOutcomes.failed(report, resource, status, Reason.InvalidSpec, problem));
    }
}
