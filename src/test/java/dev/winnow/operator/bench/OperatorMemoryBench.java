package dev.winnow.operator.bench;

import dev.winnow.api.v1alpha1.ActiveLearningLoop;
import dev.winnow.operator.Manifests;
import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.api.v1alpha1.DatasetStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much memory the operator holds for many loops (DESIGN §1: goal under 300 MiB resident with
 * 1,000 loops). Runs `winnow operator` as its own process against an in-process mock API, reads its
 * resident set size idle (no loops) and after every loop has started (each loop with its first
 * SelectionRound and that round's select Job in the operator's caches), and prints both and their
 * ratio. Not a test: run it by hand after `./mvnw package -DskipTests`:
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.winnow.operator.bench.OperatorMemoryBench -Dexec.args="1000"</pre>
 */
public final class OperatorMemoryBench {
    static final int NAMESPACES = 10;

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static void main(String[] args) throws Exception {
        int loops = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path jar = Path.of(args.length > 1 ? args[1] : "target/quarkus-app/quarkus-run.jar");
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            for (Path crd : Files.list(Path.of("crds")).toList()) {
                client.apiextensions().v1().customResourceDefinitions()
                        .resource(Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class)).create();
            }
            for (int n = 0; n < NAMESPACES; n++) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns(n)).endMetadata().build()).create();
                readyDataset(client, ns(n));
            }
            Path kubeconfig = Files.createTempFile("winnow-bench", ".kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    users: [{name: bench, user: {token: bench}}]
                    contexts: [{name: mock, context: {cluster: mock, user: bench}}]
                    current-context: mock
                    """.formatted(client.getMasterUrl().toString()));

            // the JVM options of the Helm chart's operator Deployment, its heap share of the 512 MiB limit
            // given as a size (this process has no container limit), and the image's malloc arenas
            var command = new java.util.ArrayList<>(List.of("java"));
            Map<?, ?> values = Serialization.unmarshal(Files.readString(Path.of("helm/winnow/values.yaml")), Map.class);
            for (String option : String.valueOf(values.get("javaOpts")).split("\\s+")) {
                command.add(option.startsWith("-XX:MaxRAMPercentage=") ? "-Xmx358m" : option);
            }
            command.addAll(List.of("-jar", jar.toString(), "operator",
                    // the metrics and probe server on, as in the chart; one operator, so no leader election
                    // (the mock API cannot answer the access review JOSDK makes before it runs for leader)
                    "--http-port", String.valueOf(freePort()), "--leader-election=false"));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(Path.of("target/operator-bench.log").toFile());
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            Process operator = pb.start();
            try {
                Thread.sleep(15_000);
                long idle = rssKiB(operator.pid());
                long started = System.nanoTime();
                for (int i = 0; i < loops; i++) {
                    client.resource(loop("loop-" + i, ns(i % NAMESPACES))).create();
                }
                waitForJobs(client, loops);
                double seconds = (System.nanoTime() - started) / 1e9;
                Thread.sleep(10_000);
                long busy = rssKiB(operator.pid());
                System.out.printf("loops %d, started in %.1f s%n", loops, seconds);
                System.out.printf("operator RSS idle: %d MiB; with %d loops: %d MiB; ratio %.2f%n",
                        idle / 1024, loops, busy / 1024, (double) busy / idle);
            } finally {
                operator.destroy();
                operator.waitFor();
            }
        } finally {
            server.destroy();
        }
    }

    static String ns(int n) {
        return "team-" + n;
    }

    static void waitForJobs(KubernetesClient client, int loops) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 600_000;
        while (System.currentTimeMillis() < deadline) {
            int jobs = client.batch().v1().jobs().inAnyNamespace().list().getItems().size();
            if (jobs >= loops) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the operator did not start every loop within 10 minutes");
    }

    /** Resident set after a full collection, so the figure is the live set plus the JVM, not garbage. */
    static long rssKiB(long pid) throws Exception {
        new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Thread.sleep(2000);
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    static void readyDataset(KubernetesClient client, String namespace) {
        Dataset d = Manifests.dataset("fashion", namespace);
        Dataset created = client.resource(d).create();
        var status = new DatasetStatus();
        status.samples = 60000L;
        status.labeled = 0L;
        status.conditions.add(new ConditionBuilder().withType("Ready").withStatus("True").withReason("Indexed")
                .withObservedGeneration(1L).withLastTransitionTime("2026-01-01T00:00:00Z").build());
        status.observedGeneration = 1L;
        status.phase = "Ready";
        created.setStatus(status);
        client.resource(created).updateStatus();
    }

    static ActiveLearningLoop loop(String name, String namespace) {
        return Manifests.loop(name, namespace, "fashion", 10);
    }
}
