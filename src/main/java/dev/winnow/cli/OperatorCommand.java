package dev.winnow.cli;

import dev.winnow.local.api.WinnowCrds;
import dev.winnow.operator.ApiServerWait;
import dev.winnow.operator.CrdUpgrade;
import dev.winnow.operator.metrics.ApiRequests;
import dev.winnow.operator.LeaderElection;
import dev.winnow.operator.LeanJson;
import dev.winnow.operator.OperatorHttpServer;
import dev.winnow.operator.OperatorSettings;
import dev.winnow.operator.WinnowOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** `winnow operator`: reconciles Winnow's resources in the cluster of the current kubeconfig or service account. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the operator against the current cluster (kubeconfig or in-cluster service account).")
public class OperatorCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger(OperatorCommand.class);

    @Option(names = "--worker-image", defaultValue = "${env:WINNOW_WORKER_IMAGE:-" + OperatorSettings.DEFAULT_WORKER_IMAGE + "}",
            description = "Image of Winnow's worker for the built-in steps (env WINNOW_WORKER_IMAGE; default ${DEFAULT-VALUE}).")
    String workerImage;

    @Option(names = "--namespaces", split = ",", defaultValue = "${env:WINNOW_NAMESPACES:-}",
            description = "Comma-separated namespaces to watch (env WINNOW_NAMESPACES); all when empty.")
    List<String> namespaces;

    @Option(names = "--http-port", defaultValue = "${env:WINNOW_HTTP_PORT:-8080}",
            description = "Port of /metrics, /healthz and /readyz (env WINNOW_HTTP_PORT; default ${DEFAULT-VALUE}; 0 turns them off).")
    int httpPort;

    @Option(names = "--leader-election", arity = "1", paramLabel = "true|false", defaultValue = "${env:WINNOW_LEADER_ELECTION:-true}",
            description = "Reconcile only while holding the Lease, so replicas can run side by side (env WINNOW_LEADER_ELECTION; default ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(names = "--lease-name", defaultValue = "${env:WINNOW_LEASE_NAME:-" + LeaderElection.DEFAULT_LEASE_NAME + "}",
            description = "Name of the Lease (env WINNOW_LEASE_NAME; default ${DEFAULT-VALUE}).")
    String leaseName;

    @Option(names = "--lease-namespace", defaultValue = "${env:WINNOW_LEASE_NAMESPACE:-}",
            description = "Namespace of the Lease (env WINNOW_LEASE_NAMESPACE); default: the pod's, or the kubeconfig's current namespace.")
    String leaseNamespace;

    @Option(names = "--apply-crds", arity = "1", paramLabel = "true|false", defaultValue = "${env:WINNOW_APPLY_CRDS:-false}",
            description = "At start, bring the cluster's Winnow CRDs up to this version by server-side apply, unless newer ones are served"
                    + " (env WINNOW_APPLY_CRDS; default ${DEFAULT-VALUE}; the chart sets it with crds.apply).")
    boolean applyCrds;

    @Override
    public Integer call() throws Exception {
        var watched = new HashSet<String>();
        if (namespaces != null) {
            namespaces.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(watched::add);
        }
        OperatorSettings settings = new OperatorSettings(workerImage, watched);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KubernetesClient client = new KubernetesClientBuilder().withKubernetesSerialization(LeanJson.serialization())
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("winnow-requests", new ApiRequests(registry))).build();
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics())
                .forEach(binder -> binder.bindTo(registry));
        Optional<LeaderElection> election = leaderElection
                ? Optional.of(LeaderElection.onLease(leaseName, leaseNamespace == null || leaseNamespace.isBlank() ? null : leaseNamespace))
                : Optional.empty();
        Operator operator = WinnowOperator.create(client, settings, election, registry);
        // the probes answer while the API server is awaited: alive, not ready (a liveness failure would restart us)
        OperatorHttpServer http = httpPort > 0 ? OperatorHttpServer.start(operator, registry, httpPort) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // reconciles end first, then leadership, then the Lease is handed over, so a standby starts at
            // once and never beside this process
            boolean started = operator.getRuntimeInfo().isStarted();
            LeaderElection.shuttingDown();
            operator.stop();
            if (started) {
                election.ifPresent(l -> l.release(client));
            }
            client.close();
            stopped.countDown();
        }, "winnow-shutdown"));
        try {
            ApiServerWait.until(client, Duration.ofSeconds(2), Duration.ofSeconds(30));
            if (applyCrds) {
                CrdUpgrade.apply(client, WinnowCrds.load(), WinnowCommand.VERSION);
            }
            if (election.isPresent()) {
                election.get().checkAccess(client);
            }
            operator.start();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            LOG.errorf("cannot start against %s: %s", client.getMasterUrl(), root.getMessage() == null ? root : root.getMessage());
            System.err.println("  check the kubeconfig (or the in-cluster service account), that crds/ are applied,"
                    + " and, with leader election, that the Lease's namespace is known and its RBAC granted");
            if (http != null) {
                http.close();
            }
            return 1;
        }
        LOG.infof("winnow operator started: worker image %s, namespaces %s, %s", workerImage,
                watched.isEmpty() ? "all" : String.join(",", watched),
                election.map(l -> "leader election on Lease " + l.leaseName() + " as " + l.identity() + " (reconciling once elected)")
                        .orElse("no leader election"));
        stopped.await();
        if (http != null) {
            http.close();
        }
        return 0;
    }
}
