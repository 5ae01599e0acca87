package dev.winnow.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

import java.time.Duration;

/**
 * Leader election on a coordination.k8s.io Lease, so any number of operator replicas run and only
 * one reconciles. Standbys keep their caches warm and take over once the leader's lease runs out.
 *
 * @param leaseName      the Lease, one per installation
 * @param leaseNamespace where the Lease lives; null: the client's namespace (in a pod, its own)
 * @param identity       who holds the Lease; null: the pod name (HOSTNAME)
 * @param exitOnLoss     a leader that cannot renew its lease exits at once, so it never writes
 *                       beside the next leader; only tests, whose JVM must live on, turn it off
 */
public record LeaderElection(String leaseName, String leaseNamespace, String identity, Duration leaseDuration,
                             Duration renewDeadline, Duration retryPeriod, boolean exitOnLoss) {
    public static final String DEFAULT_LEASE_NAME = "winnow-operator";

    public LeaderElection {
        if (leaseName == null || leaseName.isBlank()) {
            throw new IllegalArgumentException("leader election needs a lease name");
        }
        // a leader must give up before anyone else may take the lease: renew deadline < lease duration
        if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("leader election needs retryPeriod < renewDeadline < leaseDuration");
        }
    }

    /** Kubernetes' usual timing (as kube-controller-manager): a new leader within 15 s of the old one's last renewal. */
    public static LeaderElection onLease(String leaseName, String leaseNamespace) {
        return new LeaderElection(leaseName, leaseNamespace, null, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, true);
    }

    LeaderElectionConfiguration configuration() {
        // JOSDK 5.3's build() turns exit-on-stop-leading off; buildForTest(flag) is the one that sets it
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
                .withLeaseNamespace(leaseNamespace)
                .withIdentity(identity)
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .buildForTest(exitOnLoss);
    }
}
