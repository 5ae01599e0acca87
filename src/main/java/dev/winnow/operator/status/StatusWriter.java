package dev.winnow.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.winnow.api.v1alpha1.WinnowStatus;
import dev.winnow.operator.metrics.WinnowMetrics;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.util.function.BiFunction;

/**
 * Writes a reconciler's status so that two writers cannot corrupt it: one JSON Patch that replaces
 * status whole and carries the resourceVersion the status was computed from. The API server (and
 * the mock server of the tests, alike) refuses it with 409 when anyone wrote in between, instead of
 * appending a second copy of a condition or a history entry. A refused write is dropped and the
 * resource is reconciled again shortly, from the newer version.
 *
 * <p>JOSDK's own status patch (server-side apply off) is a JSON Patch diffed against the cached
 * object with the resourceVersion removed, which is why reconcilers hand their result here and
 * return {@code noUpdate}. The response goes into JOSDK's cache, so the next reconcile reads its own write.
 */
public final class StatusWriter {
    private static final Logger LOG = Logger.getLogger(StatusWriter.class);

    /** When to reconcile again after a write refused for a newer version. */
    public static final java.time.Duration AFTER_CONFLICT = java.time.Duration.ofSeconds(1);

    private final WinnowMetrics metrics;
    private final EventRecorder events;

    public StatusWriter(WinnowMetrics metrics, EventRecorder events) {
        this.metrics = metrics;
        this.events = events;
    }

    /**
     * Runs a reconcile and writes the status it asks for; observations count, and its Events are written, only once
     * the write is accepted.
     */
    public <P extends CustomResource<?, ? extends WinnowStatus>> UpdateControl<P> reconcile(
            P resource, Context<P> context, BiFunction<P, Context<P>, UpdateControl<P>> reconcile) {
        Outcome<P> outcome = events.held(() -> write(resource, context, reconcile), o -> o.accepted);
        return outcome.control;
    }

    private record Outcome<P extends CustomResource<?, ?>>(UpdateControl<P> control, boolean accepted) {
    }

    private <P extends CustomResource<?, ? extends WinnowStatus>> Outcome<P> write(
            P resource, Context<P> context, BiFunction<P, Context<P>, UpdateControl<P>> reconcile) {
        UpdateControl<P> control;
        try {
            control = reconcile.apply(resource, context);
        } catch (RuntimeException e) {
            metrics.discarded(resource);
            throw e;
        }
        if (control.isPatchResource()) {
            throw new IllegalStateException("Winnow's reconcilers never write spec or metadata");
        }
        if (!control.isPatchStatus()) {
            metrics.discarded(resource);
            return new Outcome<>(control, true);
        }
        UpdateControl<P> next = UpdateControl.noUpdate();
        control.getScheduleDelay().ifPresent(next::rescheduleAfter);
        P changed = control.getResource().orElseThrow();
        try {
            context.resourceOperations().resourcePatch(changed, r -> write(context.getClient(), r),
                    context.eventSourceRetriever().getControllerEventSource());
            metrics.committed(resource);
            return new Outcome<>(next, true);
        } catch (RuntimeException e) {
            metrics.discarded(resource);
            int code = e instanceof KubernetesClientException k ? k.getCode() : -1;
            if (code == HttpURLConnection.HTTP_CONFLICT) {
                LOG.debugf("%s %s/%s changed while it was reconciled; reconciling the newer version",
                        changed.getKind(), changed.getMetadata().getNamespace(), changed.getMetadata().getName());
                // the newer version may change neither generation nor anything the controller filters on
                // (an annotation, another writer's status), so no event would bring it: look again soon
                return new Outcome<>(next.getScheduleDelay().isPresent() ? next : next.rescheduleAfter(AFTER_CONFLICT), false);
            }
            if (code == HttpURLConnection.HTTP_NOT_FOUND) {
                LOG.debugf("%s %s/%s was deleted while it was reconciled", changed.getKind(),
                        changed.getMetadata().getNamespace(), changed.getMetadata().getName());
                return new Outcome<>(UpdateControl.noUpdate(), false);
            }
            throw e;
        }
    }

    /** PATCH .../status: the status whole, on condition that the object is still at the version it was read at. */
    public static <P extends CustomResource<?, ? extends WinnowStatus>> P write(KubernetesClient client, P resource) {
        String resourceVersion = resource.getMetadata().getResourceVersion();
        if (resourceVersion == null) {
            throw new IllegalArgumentException("a status write needs the resourceVersion it was computed from");
        }
        WinnowStatus status = resource.getStatus();
        Conditions.onePerType(status);
        ArrayNode patch = JsonNodeFactory.instance.arrayNode();
        patch.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", resourceVersion);
        patch.addObject().put("op", "add").put("path", "/status")
                .set("value", client.getKubernetesSerialization().convertValue(status, JsonNode.class));
        return client.resource(resource).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(patch));
    }
}
