package dev.winnow.operator.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Writes core/v1 Events on the resources, so `kubectl describe` tells their story. Best effort. */
public final class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "winnow-operator";

    private final KubernetesClient client;
    private final String instance;

    /** @param instance who writes, as Events' reportingInstance: the Lease identity, so people can tell replicas apart */
    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                .withNamespace(about.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion()).withKind(about.getKind())
                        .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid()).build())
                .withType(type).withReason(reason).withMessage(truncate(message))
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource(COMPONENT, null)
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // Events are for people; losing one must never stop a reconcile.
            LOG.debugf("event %s on %s not recorded: %s", reason, about.getMetadata().getName(), e.getMessage());
        }
    }

    private static String truncate(String message) {
        return message == null ? "" : message.length() > 1000 ? message.substring(0, 1000) : message;
    }
}
