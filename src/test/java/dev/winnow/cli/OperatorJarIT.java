package dev.winnow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.api.v1alpha1.Dataset;
import dev.winnow.local.api.EmbeddedApiServer;
import dev.winnow.local.api.Kubeconfig;
import dev.winnow.operator.Manifests;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * The operator's own packaging (target/quarkus-operator, what the operator image holds): the
 * control plane without DJL, PyTorch, the S3 client or the mock API server, and it still starts
 * and reconciles. Run as a process against an in-process API, as the image runs it against a cluster.
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
    void startsAndCreatesTheIndexJobOfADataset() throws Exception {
        try (EmbeddedApiServer api = EmbeddedApiServer.start(dir.resolve("api"), 0)) {
            Path kubeconfig = Kubeconfig.write(dir.resolve("kubeconfig"), api.client().getMasterUrl().toString(),
                    EmbeddedApiServer.NAMESPACE);
            Path log = dir.resolve("operator.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar().toString(), "operator",
                    "--health-port", "0", "--worker-image", "registry.example/winnow-worker:test");
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            Process operator = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                until(() -> read(log).contains("winnow operator started"), operator, log);
                Dataset dataset = Manifests.dataset("fashion", EmbeddedApiServer.NAMESPACE);
                api.client().resource(dataset).create();
                until(() -> !api.client().batch().v1().jobs().inNamespace(EmbeddedApiServer.NAMESPACE)
                        .withLabel("winnow.dev/dataset", "fashion").list().getItems().isEmpty(), operator, log);
                Job index = api.client().batch().v1().jobs().inNamespace(EmbeddedApiServer.NAMESPACE)
                        .withLabel("winnow.dev/dataset", "fashion").list().getItems().get(0);
                assertEquals("registry.example/winnow-worker:test",
                        index.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
                assertEquals(List.of("worker", "index"), index.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
            } finally {
                operator.destroy();
                assertTrue(operator.waitFor(30, TimeUnit.SECONDS), "the operator stops on SIGTERM");
            }
            String output = read(log);
            assertTrue(!output.contains("NoClassDefFoundError") && !output.contains("ClassNotFoundException"), output);
        }
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
