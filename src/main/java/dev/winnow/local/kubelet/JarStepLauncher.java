package dev.winnow.local.kubelet;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a step as {@code java -jar <winnow jar> <args...>}: the worker image's entrypoint, without the image. */
public final class JarStepLauncher implements StepLauncher {
    private final Path java;
    private final Path jar;
    private final List<String> jvmOptions;

    public JarStepLauncher(Path java, Path jar, List<String> jvmOptions) {
        this.java = java;
        this.jar = jar;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /**
     * The jar this JVM was started from ({@code java -jar quarkus-run.jar demo}), run by the same java. The
     * {@code winnow.jar} system property overrides it (tests, or running from an IDE).
     */
    public static JarStepLauncher forThisJar() {
        String override = System.getProperty("winnow.jar");
        String classPath = System.getProperty("java.class.path", "");
        Path jar = Path.of(override != null ? override : classPath);
        if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
            throw new IllegalStateException("cannot tell which jar to run the steps from (java.class.path is "
                    + classPath + "); run `java -jar quarkus-run.jar demo` or set -Dwinnow.jar=<path>");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // offline: the demo must not download a PyTorch build or models mid-run
        List<String> options = new ArrayList<>(List.of("-Dai.djl.offline=true"));
        // each step starts a JVM: it maps the class-data archive this one was started with (the winnow launcher's)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst().ifPresent(options::add);
        return new JarStepLauncher(java, jar.toAbsolutePath(), List.copyOf(options));
    }

    public Path jar() {
        return jar;
    }

    @Override
    public Process start(List<String> winnowArgs, Map<String, String> env, Path workingDir, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(winnowArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }
}
