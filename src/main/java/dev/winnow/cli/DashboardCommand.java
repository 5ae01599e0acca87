package dev.winnow.cli;

import dev.winnow.dashboard.DashboardServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code winnow dashboard}: the read-only web page, served on this machine, reading the cluster with the viewer's
 * kubeconfig, so their RBAC decides what it shows; nothing is installed in the cluster.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve a read-only dashboard on localhost: loops by namespace, each loop's learning curve, rounds, "
                + "conditions and events, a Dataset's pool map; it follows the cluster live. Reads with your kubeconfig.")
public class DashboardCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", description = "Kubeconfig of the cluster (default: $KUBECONFIG, ~/.kube/config or in-cluster).")
    Path kubeconfig;

    @Option(names = {"-n", "--namespace"}, description = "A namespace to show; repeat it for several (default: the kubeconfig's).")
    List<String> namespaces;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace (needs list and watch cluster-wide).")
    boolean allNamespaces;

    @Option(names = "--port", defaultValue = "8790", description = "Port on localhost (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--address", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String address;

    @Override
    public Integer call() throws Exception {
        Config config = kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(kubeconfig));
        List<String> scope = allNamespaces ? List.of() : namespaces != null ? namespaces
                : List.of(config.getNamespace() != null ? config.getNamespace() : "default");
        CountDownLatch stopped = new CountDownLatch(1);
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             DashboardServer server = DashboardServer.start(client, scope, address, port, System.getenv())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "winnow-dashboard-stop"));
            System.out.println("Dashboard: " + server.url() + " (" + (scope.isEmpty() ? "all namespaces"
                    : "namespace " + String.join(", ", scope)) + "; Ctrl-C stops it)");
            stopped.await();
        } catch (IllegalStateException e) {
            System.err.println("winnow dashboard: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
