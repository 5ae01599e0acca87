package dev.winnow.cli;

import dev.winnow.operator.HealthEndpoint;
import dev.winnow.operator.OperatorSettings;
import dev.winnow.operator.WinnowOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** `winnow operator`: reconciles Winnow's resources in the cluster of the current kubeconfig or service account. */
@Command(name = "operator", mixinStandardHelpOptions = true,
        description = "Run the operator against the current cluster (kubeconfig or in-cluster service account).")
public class OperatorCommand implements Callable<Integer> {
    @Option(names = "--worker-image", defaultValue = "${env:WINNOW_WORKER_IMAGE:-" + OperatorSettings.DEFAULT_WORKER_IMAGE + "}",
            description = "Image of Winnow's worker for the built-in steps (env WINNOW_WORKER_IMAGE; default ${DEFAULT-VALUE}).")
    String workerImage;

    @Option(names = "--namespaces", split = ",", defaultValue = "${env:WINNOW_NAMESPACES:-}",
            description = "Comma-separated namespaces to watch (env WINNOW_NAMESPACES); all when empty.")
    List<String> namespaces;

    @Option(names = "--health-port", defaultValue = "${env:WINNOW_HEALTH_PORT:-8080}",
            description = "Port of /healthz and /readyz (default ${DEFAULT-VALUE}; 0 turns them off).")
    int healthPort;

    @Override
    public Integer call() throws Exception {
        var watched = new HashSet<String>();
        if (namespaces != null) {
            namespaces.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(watched::add);
        }
        OperatorSettings settings = new OperatorSettings(workerImage, watched);
        KubernetesClient client = new KubernetesClientBuilder().build();
        Operator operator = WinnowOperator.create(client, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.stop();
            client.close();
            stopped.countDown();
        }, "winnow-shutdown"));
        try {
            operator.start();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.printf("winnow operator: cannot start against %s: %s%n", client.getMasterUrl(), root);
            System.err.println("  check the kubeconfig (or the in-cluster service account) and that crds/ are applied");
            return 1;
        }
        HealthEndpoint health = healthPort > 0 ? new HealthEndpoint(operator, healthPort) : null;
        System.err.printf("winnow operator started: worker image %s, namespaces %s%n", workerImage,
                watched.isEmpty() ? "all" : String.join(",", watched));
        stopped.await();
        if (health != null) {
            health.close();
        }
        return 0;
    }
}
