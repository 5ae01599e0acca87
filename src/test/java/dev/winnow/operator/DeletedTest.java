package dev.winnow.operator;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.api.v1alpha1.ActiveLearningLoopStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loop deleted mid-run: the status PATCH of the reconcile under way gets 404, which ends quietly.
 * Other errors are not deletions: they go on to be reported (ReconcileErrorsTest).
 */
class DeletedTest {
    @Test
    void aStatusPatchOfADeletedResourceEndsWithoutRetryWhileOtherErrorsAreNotTakenForADeletion() {
        try (MockCluster cluster = new MockCluster()) {
            var reconciler = new ActiveLearningLoopReconciler(cluster.client, null, new References(cluster.client), null, null);
            ActiveLearningLoop loop = cluster.client.resource(Manifests.loop("fashion", "fashion", 2)).create();

            // a 404 about something else while the loop exists (its Job's namespace going away, say) is a real error
            var jobGone = assertThrows(KubernetesClientException.class, () -> cluster.client.batch().v1().jobs().inNamespace("ml")
                    .resource(new JobBuilder().withNewMetadata().withName("fashion-r1-train").endMetadata().build()).patchStatus());
            References refs = new References(cluster.client);
            assertTrue(Deleted.quietly(refs, loop, jobGone).isDefaultErrorProcessing());
            assertTrue(Deleted.quietly(refs, loop, new KubernetesClientException("Internal error", 500, null)).isDefaultErrorProcessing());

            cluster.client.resource(loop).delete();
            loop.setStatus(new ActiveLearningLoopStatus());
            loop.getStatus().message = "written after the loop was deleted";
            var gone = assertThrows(KubernetesClientException.class, () -> cluster.client.resource(loop).patchStatus());
            var control = reconciler.updateErrorStatus(loop, null, gone);
            assertFalse(control.isDefaultErrorProcessing(), "JOSDK would retry and log the stack trace");
            assertTrue(control.isNoRetry() && control.getResource().isEmpty(), "no retry, nothing written");

            // applied again under the same name: the deleted object is still gone
            cluster.client.resource(Manifests.loop("fashion", "fashion", 2)).create();
            assertTrue(reconciler.updateErrorStatus(loop, null, gone).isNoRetry());
        }
    }
}
