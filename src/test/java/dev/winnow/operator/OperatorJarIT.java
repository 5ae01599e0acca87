package dev.winnow.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The operator's own packaging (target/quarkus-operator, what the operator image holds): the
 * control plane without DJL, PyTorch, the S3 client or the mock API server. It still starts as
 * the chart runs it (leader election, the metrics and probe port) and reconciles, run as a
 * process against the mock API as the image runs against a cluster.
 */
class OperatorJarIT {
    static final Pattern DATA_PLANE = Pattern.compile("ai\\.djl|pytorch|software\\.amazon|mockwebserver|kubernetes-server-mock|bouncycastle");

    @TempDir
    Path dir;

    static Path jar() {
        String property = System.getProperty("winnow.operator.jar");
        assertTrue(property != null, "failsafe passes the operator's packaged jar as system property winnow.operator.jar");
        Path jar = Path.of(property);
        assertTrue(Files.isRegularFile(jar), "no packaged operator at " + jar + ": run mvn verify");
        return jar;
    }

    @Test
    void holdsNoDataPlaneLibraries() throws IOException {
        try (Stream<Path> files = Files.walk(jar().getParent().resolve("lib"))) {
            List<String> jars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
            assertTrue(jars.stream().anyMatch(n -> n.startsWith("io.javaoperatorsdk.operator-framework-core")), jars.toString());
            assertEquals(List.of(), jars.stream().filter(n -> DATA_PLANE.matcher(n).find()).toList());
        }
    }

    @Test
    void startsAsTheChartRunsItAndCreatesTheIndexJobOfADataset() throws Exception {
        try (MockCluster cluster = new MockCluster()) {
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    users: [{name: operator, user: {token: operator}}]
                    contexts: [{name: mock, context: {cluster: mock, user: operator, namespace: %s}}]
                    current-context: mock
                    """.formatted(cluster.client.getMasterUrl(), MockCluster.NAMESPACE));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = dir.resolve("operator.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar().toString(), "operator",
                    "--http-port", String.valueOf(port), "--worker-image", "registry.example/winnow-worker:test");
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            Process operator = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                until(() -> read(log).contains("winnow operator started"), operator, log);
                cluster.client.resource(Manifests.dataset("fashion")).create();
                until(() -> !indexJobs(cluster).isEmpty(), operator, log);
                var container = indexJobs(cluster).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
                assertEquals("registry.example/winnow-worker:test", container.getImage());
                assertEquals(List.of("worker", "index"), container.getArgs());
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("controller_name=\"dataset\""), "the reconcilers' metrics: "
                        + metrics.body().lines().limit(5).toList());
            } finally {
                operator.destroy();
                assertTrue(operator.waitFor(30, TimeUnit.SECONDS), "the operator stops on SIGTERM");
            }
            String output = read(log);
            assertTrue(!output.contains("NoClassDefFoundError") && !output.contains("ClassNotFoundException"), output);
        }
    }

    private static List<Job> indexJobs(MockCluster cluster) {
        return cluster.client.batch().v1().jobs().inNamespace(MockCluster.NAMESPACE)
                .withLabel("winnow.dev/dataset", "fashion").list().getItems();
    }

    private static void until(BooleanSupplier condition, Process operator, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (!operator.isAlive() || System.nanoTime() > deadline) {
                fail((operator.isAlive() ? "timed out" : "the operator exited with " + operator.exitValue()) + "; its log:\n" + read(log));
            }
            Thread.sleep(100);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
