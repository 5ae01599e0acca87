package dev.winnow.cluster;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import dev.winnow.Needs;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real-cluster tier's Kubernetes: one single-node cluster per test JVM, started by
 * {@code src/test/cluster/node.sh} from the server binaries in {@code WINNOW_K8S_BIN} (default: the
 * shared folder beside the repository), with the images .ci/run built imported into its containerd and
 * the chart installed by Helm itself (helm-java). Outside CI a machine without what it needs skips the
 * tier; with {@code CI=true} it fails instead (see {@link Needs}).
 */
public final class RealCluster {
    static final Path NODE_SH = Path.of("src/test/cluster/node.sh").toAbsolutePath();
    static final Path CHART = Path.of("helm/winnow").toAbsolutePath();
    /** The images' tag: the chart's appVersion, as build-and-test.sh tags them. */
    public static final String TAG = appVersion();
    public static final String OPERATOR_IMAGE = "localhost/winnow-operator:" + TAG;
    public static final String WORKER_IMAGE = "localhost/winnow-worker:" + TAG;
    private static final String BUILD_HINT = "build them first: ./mvnw package -DskipTests && sudo src/test/images/build-and-test.sh";

    private static RealCluster started;

    private final Path home;
    private final Path kubeconfig;
    private final KubernetesClient client;

    private RealCluster(Path home, Path kubeconfig) {
        this.home = home;
        this.kubeconfig = kubeconfig;
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig))).build();
    }

    /** The cluster, started fresh on first use in this JVM (about 20 s) with Winnow's images in it; stopped at exit. */
    public static synchronized RealCluster get() {
        if (started == null) {
            requireMachine();
            Path home = Path.of(System.getenv().getOrDefault("WINNOW_K8S_HOME", "/tmp/winnow-k8s"));
            String out = node(Duration.ofMinutes(5), "start", "--fresh");
            Matcher m = Pattern.compile("(?m)^KUBECONFIG=(.+)$").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("node.sh printed no KUBECONFIG:\n" + out);
            }
            started = new RealCluster(home, Path.of(m.group(1).strip()));
            if (!"true".equals(System.getenv("WINNOW_K8S_KEEP"))) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> node(Duration.ofMinutes(2), "stop"), "stop-real-cluster"));
            }
            node(Duration.ofMinutes(5), "import", OPERATOR_IMAGE, WORKER_IMAGE);
        }
        return started;
    }

    /** What the tier needs from the machine: root, the binaries, the Debian packages .ci/run installs, the images. */
    private static void requireMachine() {
        Needs.require("0".equals(uid()), "the real-cluster tier runs as root (it starts a kubelet and containerd)");
        String howToInstall = "apt-get install etcd-server containerd runc containernetworking-plugins iptables conntrack buildah xz-utils (.ci/run does)";
        for (String program : List.of("etcd", "containerd", "runc", "buildah", "ctr", "iptables", "conntrack", "xz", "kubectl")) {
            Needs.program(program, howToInstall);
        }
        Path bin = Path.of(System.getenv().getOrDefault("WINNOW_K8S_BIN", "../shared/k8s/bin"));
        Needs.require(Files.isRegularFile(bin.resolve("kube-apiserver")) || Files.isRegularFile(bin.resolve("kube-apiserver.xz")),
                "no Kubernetes server binaries in " + bin.toAbsolutePath()
                        + ": set WINNOW_K8S_BIN to the release's kubernetes-server-linux-amd64.tar.gz server/bin");
        for (String image : List.of(OPERATOR_IMAGE, WORKER_IMAGE)) {
            Needs.require(run(Duration.ofMinutes(1), List.of("buildah", "--storage-driver", "vfs", "inspect", "--type", "image", image)).code == 0,
                    "no image " + image + " in buildah's storage: " + BUILD_HINT);
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    Path volumePath(String name) {
        return home.resolve("volumes").resolve(name);
    }

    /** A directory on the node for hostPath volumes, made fresh. */
    public Path volumeDir(String name) throws IOException {
        Path dir = home.resolve("volumes").resolve(name);
        if (Files.exists(dir)) {
            run(Duration.ofMinutes(1), List.of("rm", "-rf", dir.toString()));
        }
        Files.createDirectories(dir);
        return dir;
    }

    /** Stops components of the node (kube-apiserver, kubelet, containerd...), as an outage would. */
    public void stop(String... components) {
        List<String> args = new ArrayList<>(List.of("stop"));
        args.addAll(List.of(components));
        node(Duration.ofMinutes(2), args.toArray(String[]::new));
    }

    /** Starts whatever is stopped, and waits for the node to be Ready. */
    public void start() {
        node(Duration.ofMinutes(5), "start");
    }

    /** kubectl against the cluster; returns its output, or fails with it. */
    public String kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Result r = run(Duration.ofMinutes(2), command);
        if (r.code != 0) {
            throw new IllegalStateException("kubectl " + String.join(" ", args) + " exited " + r.code + ":\n" + r.output);
        }
        return r.output;
    }

    /** `helm install` of the chart with the images built here, as a user would install it, plus the given values. */
    public void install(String release, String namespace, Map<String, String> values) {
        install(CHART, release, namespace, values);
    }

    /** `helm install` of a chart (this one, or a previous release's), with the images of its own appVersion built here. */
    public void install(Path chart, String release, String namespace, Map<String, String> values) {
        InstallCommand install = new Helm(chart).install().withName(release).withNamespace(namespace).createNamespace()
                .withKubeConfig(kubeconfig)
                .set("image.repository", "localhost/winnow-operator").set("worker.repository", "localhost/winnow-worker");
        values.forEach(install::set);
        install.call();
    }

    /** `helm upgrade` of a release to this chart, with the images built here, as a user would upgrade it. */
    public void upgrade(String release, String namespace, Map<String, String> values) {
        var upgrade = new Helm(CHART).upgrade().withName(release).withNamespace(namespace).withKubeConfig(kubeconfig)
                .set("image.repository", "localhost/winnow-operator").set("worker.repository", "localhost/winnow-worker");
        values.forEach(upgrade::set);
        upgrade.call();
    }

    /** Copies images from buildah's storage into the node (those of this build are imported at start). */
    public void importImages(String... images) {
        List<String> args = new ArrayList<>(List.of("import"));
        args.addAll(List.of(images));
        node(Duration.ofMinutes(5), args.toArray(String[]::new));
    }

    /** `helm uninstall`, waiting until the operator's pods are gone. */
    public void uninstall(String release, String namespace) {
        Helm.uninstall(release).withNamespace(namespace).withKubeConfig(kubeconfig).ignoreNotFound().call();
        client.namespaces().withName(namespace).delete();
        client.namespaces().withName(namespace).waitUntilCondition(ns -> ns == null, 3, TimeUnit.MINUTES);
    }

    private static String node(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", NODE_SH.toString()));
        command.addAll(List.of(args));
        Result r = run(timeout, command);
        if (r.code != 0) {
            throw new IllegalStateException("node.sh " + String.join(" ", args) + " exited " + r.code + ":\n" + r.output);
        }
        return r.output;
    }

    record Result(int code, String output) {
    }

    static Result run(Duration timeout, List<String> command) {
        try {
            Path log = Files.createTempFile("real-cluster", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout + ":\n" + Files.readString(log));
                }
                return new Result(p.exitValue(), Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String uid() {
        return run(Duration.ofSeconds(10), List.of("id", "-u")).output.strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static String appVersion() {
        Matcher m = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?").matcher(read(CHART.resolve("Chart.yaml")));
        if (!m.find()) {
            throw new IllegalStateException("no appVersion in " + CHART.resolve("Chart.yaml"));
        }
        return m.group(1);
    }
}
