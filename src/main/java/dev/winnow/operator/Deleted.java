package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import org.jboss.logging.Logger;

/**
 * A resource deleted while it was being reconciled: writing its status then gets 404. That is the
 * end of the story, not an error to retry and log with a stack trace.
 */
final class Deleted {
    private static final Logger LOG = Logger.getLogger(Deleted.class);

    private Deleted() {
    }

    static <P extends HasMetadata> ErrorStatusUpdateControl<P> quietly(References refs, P resource, Exception e) {
        if (!isNotFound(e) || refs.exists(resource)) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        LOG.debugf("%s %s/%s was deleted while reconciled; its status is not written", resource.getKind(),
                resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        return ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry();
    }

    /** A 404; whether about this resource or something it was writing, only a look at the resource tells. */
    private static boolean isNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == 404) {
                return true;
            }
        }
        return false;
    }
}
