package dev.winnow.operator;

import dev.winnow.api.v1alpha1.RunStatus;
import dev.winnow.api.v1alpha1.SelectionRound;
import dev.winnow.api.v1alpha1.TrainingRun;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.status.Conditions;
import dev.winnow.operator.status.Reason;
import dev.winnow.operator.status.StatusReporter;
import dev.winnow.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * An exception out of a reconcile becomes status, never a silent round of retries that ends in
 * "Exhausted retries" with nothing on the object. What the API server refused for good (400, 422:
 * the Job or child built from the spec is invalid) is final, in the server's own words: the
 * resource fails, or a Dataset is not Ready, until its spec changes. What may pass (403 from a
 * quota, 5xx, a timeout, a bug) is said in Progressing=False and looked at again every
 * {@link #RECHECK}. A conflict is retried at once, and a resource deleted meanwhile is left alone.
 */
final class ReconcileErrors {
    static final Duration RECHECK = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(ReconcileErrors.class);

    private ReconcileErrors() {
    }

    /** For a run to completion (TrainingRun, SelectionRound): a refusal that will not pass fails it. */
    static <S extends RunStatus, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> failingRun(
            StatusReporter report, References refs, P run, Context<P> context, Supplier<S> newStatus, Exception e) {
        if (run.getStatus() == null) {
            run.setStatus(newStatus.get());
        }
        S status = run.getStatus();
        return toStatus(report, refs, run, context, status, e, (reason, message) -> RunOutcomes.failed(report, run, status, reason, message));
    }

    /** As {@link #toStatus(StatusReporter, References, HasMetadata, WinnowStatus, Exception, BiConsumer, BiConsumer)}, held in Progressing only. */
    static <P extends CustomResource<?, ? extends WinnowStatus>> ErrorStatusUpdateControl<P> toStatus(
            StatusReporter report, References refs, P resource, Context<P> context, WinnowStatus status, Exception e,
            BiConsumer<Reason, String> refused) {
        return toStatus(report, refs, resource, context, status, e, refused,
                (reason, message) -> report.set(resource, status, Conditions.PROGRESSING, false, reason, message));
    }

    /**
     * @param refused marks the resource for a refusal that will not pass (reason, message): failed for
     *                a run, not Ready for a Dataset
     * @param held    marks it held by an error that may pass (at least Progressing=False)
     */
    static <P extends CustomResource<?, ? extends WinnowStatus>> ErrorStatusUpdateControl<P> toStatus(
            StatusReporter report, References refs, P resource, Context<P> context, WinnowStatus status, Exception e,
            BiConsumer<Reason, String> refused, BiConsumer<Reason, String> held) {
        ErrorStatusUpdateControl<P> deleted = Deleted.quietly(refs, resource, e);
        if (!deleted.isDefaultErrorProcessing()) {
            return deleted;
        }
        if (LeaderElection.isShuttingDown()) {
            // the client closes under a reconcile in flight: the next leader reconciles it, nothing to tell people
            LOG.debugf("%s %s/%s: %s while stopping", resource.getKind(), resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), e.getMessage());
            return ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry();
        }
        KubernetesClientException api = apiError(e);
        if (api != null && api.getCode() == 409) {
            return ErrorStatusUpdateControl.defaultErrorProcessing(); // a newer version is on its way: retry soon
        }
        if (status == null) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        String what = resource.getKind() + " " + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
        // a refusal of what the operator creates is final; of its own status write (too large, say), it is held below
        if (api != null && (api.getCode() == 400 || api.getCode() == 422) && created(api)) {
            Reason reason = Reason.of(kind(api) + "Rejected").orElse(Reason.RequestRejected);
            String message = "the API server refused " + article(kind(api)) + ": " + serverMessage(api);
            LOG.warnf("%s: %s", what, message);
            refused.accept(reason, message);
            return written(resource, context, ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry());
        }
        Reason reason;
        String message;
        if (api != null) {
            reason = api.getCode() == 403 ? Reason.of(kind(api) + "Forbidden").orElse(Reason.RequestForbidden)
                    : api.getCode() >= 500 || api.getCode() == 429 ? Reason.ApiUnavailable : Reason.ReconcileError;
            message = serverMessage(api) + "; trying again every " + RECHECK.toSeconds() + " s";
            LOG.warnf("%s: %s", what, message);
        } else {
            reason = Reason.ReconcileError;
            message = e.getClass().getSimpleName() + ": " + e.getMessage() + " (an operator error; trying again every "
                    + RECHECK.toSeconds() + " s)";
            LOG.errorf(e, "%s: reconcile failed", what);
        }
        held.accept(reason, message);
        report.finish(resource, status, message);
        return written(resource, context, ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry().rescheduleAfter(RECHECK));
    }

    /**
     * Writes the status as every reconcile does ({@link StatusWriter}: guarded by the resourceVersion
     * it was read at). A newer version or a deletion in between makes the write moot: the next event
     * brings the newer object.
     */
    private static <P extends CustomResource<?, ? extends WinnowStatus>> ErrorStatusUpdateControl<P> written(
            P resource, Context<P> context, ErrorStatusUpdateControl<P> then) {
        try {
            context.resourceOperations().resourcePatch(resource, r -> StatusWriter.write(context.getClient(), r),
                    context.eventSourceRetriever().getControllerEventSource());
            return then;
        } catch (KubernetesClientException w) {
            if (w.getCode() == 409) {
                // a newer version came in between: keep the re-check, so the error is looked at again
                LOG.debugf("%s %s/%s changed while its error was written", resource.getKind(),
                        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
                return then.getScheduleDelay().isPresent() ? then
                        : ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry().rescheduleAfter(StatusWriter.AFTER_CONFLICT);
            }
            if (w.getCode() == 404) {
                LOG.debugf("%s %s/%s went while its error was written", resource.getKind(),
                        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
                return ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry();
            }
            throw w;
        }
    }

    private static KubernetesClientException apiError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return k;
            }
        }
        return null;
    }

    /** The kinds the operator creates, so "jobs" or "selectionrounds" in a Forbidden answer reads as Job or SelectionRound. */
    private static final List<Class<? extends HasMetadata>> CREATED = List.of(Job.class, TrainingRun.class, SelectionRound.class);

    /** What the request was about (Job, TrainingRun...), as the API server's status names it. */
    private static String kind(KubernetesClientException e) {
        var status = e.getStatus();
        String kind = status == null || status.getDetails() == null ? null : status.getDetails().getKind();
        if (kind == null || kind.isBlank()) {
            return "Request";
        }
        String name = kind.contains(".") ? kind.substring(0, kind.indexOf('.')) : kind;
        return CREATED.stream().filter(c -> HasMetadata.getKind(c).equals(name) || HasMetadata.getPlural(c).equals(name))
                .map(HasMetadata::getKind).findFirst()
                .orElse(Character.toUpperCase(name.charAt(0)) + name.substring(1));
    }

    /** Whether the refused request was about something the operator creates (a Job, a child). */
    private static boolean created(KubernetesClientException e) {
        String kind = kind(e);
        return CREATED.stream().anyMatch(c -> HasMetadata.getKind(c).equals(kind));
    }

    private static String article(String kind) {
        return kind.equals("Request") ? "the request" : "the " + kind;
    }

    private static String serverMessage(KubernetesClientException e) {
        var status = e.getStatus();
        String message = status == null || status.getMessage() == null ? e.getMessage() : status.getMessage();
        return message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }
}
