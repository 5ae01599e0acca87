package dev.winnow.operator;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leader election on a coordination.k8s.io Lease, so any number of operator replicas run and only
 * one reconciles. Standbys keep their caches warm and take over once the leader's lease runs out, or
 * at once when a leader that is shut down releases it.
 *
 * @param leaseName      the Lease, one per installation
 * @param leaseNamespace where the Lease lives; null: the client's namespace (in a pod, its own)
 * @param identity       who holds the Lease; null: {@link #processIdentity()}
 * @param exitOnLoss     a leader that cannot renew its lease exits at once, so it never writes
 *                       beside the next leader; only tests, whose JVM must live on, turn it off
 */
public record LeaderElection(String leaseName, String leaseNamespace, String identity, Duration leaseDuration,
                             Duration renewDeadline, Duration retryPeriod, boolean exitOnLoss) {
    public static final String DEFAULT_LEASE_NAME = "winnow-operator";
    /** What the leader elector does to the Lease: Fabric8 reads it, creates it once, and renews it with a PATCH. */
    public static final List<String> LEASE_VERBS = List.of("get", "create", "update", "patch");
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    /** Set once the process is shutting down: leadership then ends on purpose, and is released rather than lost. */
    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    public LeaderElection {
        if (leaseName == null || leaseName.isBlank()) {
            throw new IllegalArgumentException("leader election needs a lease name");
        }
        // a leader must give up before anyone else may take the lease: renew deadline < lease duration
        if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("leader election needs retryPeriod < renewDeadline < leaseDuration");
        }
        if (identity == null || identity.isBlank()) {
            identity = processIdentity();
        }
    }

    /** Kubernetes' usual timing (as kube-controller-manager): a new leader within 15 s of the old one's last renewal. */
    public static LeaderElection onLease(String leaseName, String leaseNamespace) {
        return new LeaderElection(leaseName, leaseNamespace, null, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, true);
    }

    /**
     * The pod's name and a random part (as controller-runtime's {@code hostname_uuid}): a container the kubelet
     * restarts keeps its pod name, and with the name alone it would take itself for the holder of the Lease its
     * previous process held, and reconcile without ever renewing it.
     */
    static String processIdentity() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "winnow" : host) + "_" + UUID.randomUUID();
    }

    /**
     * Refuses to start without every verb the elector needs on the Lease: without them a leader would be elected
     * once, then fail every renewal and exit, again and again. The message names what the Role lacks.
     */
    public void checkAccess(KubernetesClient client) {
        String namespace = namespace(client);
        List<String> missing;
        try {
            missing = LEASE_VERBS.stream().filter(verb -> !allowed(client, namespace, verb)).toList();
        } catch (KubernetesClientException e) {
            // an API server that does not review access (a test server) cannot tell: the elector's own calls will
            LOG.warnf("cannot check the Lease's RBAC (%s); going on", e.getMessage());
            return;
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the operator's service account may not " + String.join(", ", missing)
                    + " the Lease " + namespace + "/" + leaseName + " (coordination.k8s.io leases): leader election needs "
                    + String.join(", ", LEASE_VERBS) + "; grant them in its Role, or run with --leader-election=false");
        }
    }

    private boolean allowed(KubernetesClient client, String namespace, String verb) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
                .withGroup("coordination.k8s.io").withResource("leases").withNamespace(namespace).withVerb(verb)
                .withName("create".equals(verb) ? null : leaseName).endResourceAttributes().endSpec().build();
        return Boolean.TRUE.equals(client.resource(review).create().getStatus().getAllowed());
    }

    String namespace(KubernetesClient client) {
        return leaseNamespace != null ? leaseNamespace : client.getConfiguration().getNamespace();
    }

    /**
     * Hands the Lease over at once when this process holds it, as client-go's ReleaseOnCancel does: the holder
     * is cleared and the term set to one second, so a standby takes over at its next try instead of waiting out
     * the lease. Called on shutdown, after this process stopped reconciling.
     *
     * @return whether this process held the Lease and released it
     */
    public boolean release(KubernetesClient client) {
        try {
            var lease = client.leases().inNamespace(namespace(client)).withName(leaseName);
            Lease current = lease.get();
            if (current == null || current.getSpec() == null || !identity.equals(current.getSpec().getHolderIdentity())) {
                return false;
            }
            current.getSpec().setHolderIdentity(null);
            current.getSpec().setLeaseDurationSeconds(1);
            current.getSpec().setRenewTime(ZonedDateTime.now());
            client.resource(current).update(); // guarded by its resourceVersion: never clears a newer holder
            LOG.infof("released the Lease %s/%s", namespace(client), leaseName);
            return true;
        } catch (KubernetesClientException e) {
            LOG.warnf("could not release the Lease %s: %s (the next leader starts once it expires)", leaseName, e.getMessage());
            return false;
        }
    }

    /**
     * From the shutdown hook, before the operator stops: the end of leadership that follows is not a loss, and a
     * reconcile that fails while the client closes is not the resource's error ({@link ReconcileErrors}).
     */
    public static void shuttingDown() {
        SHUTTING_DOWN.set(true);
    }

    static boolean isShuttingDown() {
        return SHUTTING_DOWN.get();
    }

    LeaderElectionConfiguration configuration() {
        // JOSDK never exits here (its exit-on-stop-leading is off): the callbacks below say why, then exit
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
                .withLeaseNamespace(leaseNamespace)
                .withIdentity(identity)
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> LOG.infof("%s leads: holds the Lease %s and reconciles", identity, leaseName),
                        () -> stoppedLeading(SHUTTING_DOWN.get()),
                        leader -> LOG.infof("the Lease %s is held by %s%s", leaseName, Objects.requireNonNullElse(leader, "nobody"),
                                identity.equals(leader) ? " (this process)" : "")))
                .buildForTest(false);
    }

    private void stoppedLeading(boolean shuttingDown) {
        if (shuttingDown) {
            return;
        }
        if (!exitOnLoss) {
            LOG.warnf("%s lost the Lease %s", identity, leaseName);
            return;
        }
        LOG.errorf("%s lost the Lease %s: it was not renewed within %d s (the warnings before this line give the API"
                + " server's answer); exiting so that this process never reconciles beside the next leader", identity, leaseName,
                renewDeadline.toSeconds());
        // from a thread of the elector, never from a shutdown hook: System.exit runs the hooks and waits for them
        new Thread(() -> System.exit(1), "winnow-lost-lease").start();
    }
}
