package dev.winnow;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a test needs from the machine besides the JDK, such as kubectl or Debian's Fashion-MNIST. When it is
 * missing the test is skipped on a developer's machine, but fails when {@code CI=true}: .ci/run installs all of
 * it, so a skip there would hide a test that never runs.
 */
public final class Needs {
    private Needs() {
    }

    private static final String KUBECTL_PACKAGE = "Debian's kubernetes-client, which .ci/run installs";

    /** kubectl, for tests that read the embedded API as a user would. */
    public static Path kubectl() {
        return program("kubectl", KUBECTL_PACKAGE);
    }

    /** kubectl if present, for a test that checks the rest without it; in CI its absence fails the test. */
    public static Optional<Path> optionalKubectl() {
        return optionalProgram("kubectl", KUBECTL_PACKAGE);
    }

    private static final String CHROMIUM_PACKAGES = "Debian's chromium and chromium-driver, which .ci/run installs";

    /** Debian's headless-capable Chromium, for the dashboard's browser tests. */
    public static Path chromium() {
        return program("chromium", CHROMIUM_PACKAGES);
    }

    /** The chromedriver that matches {@link #chromium()}: named to Selenium, so it never downloads one. */
    public static Path chromedriver() {
        return program("chromedriver", CHROMIUM_PACKAGES);
    }

    /** The program found on PATH; skips the test (fails it in CI) when there is none. */
    public static Path program(String name, String howToInstall) {
        Optional<Path> found = onPath(name);
        require(found.isPresent(), name + " is not on PATH (" + howToInstall + ")");
        return found.orElseThrow();
    }

    /**
     * The program found on PATH, or empty for a test that checks the rest without it; in CI a missing program
     * fails the test.
     */
    public static Optional<Path> optionalProgram(String name, String howToInstall) {
        Optional<Path> found = onPath(name);
        if (inCi()) {
            require(found.isPresent(), name + " is not on PATH (" + howToInstall + ")");
        }
        return found;
    }

    /** Skips the test (fails it in CI) when the directory is not there. */
    public static void directory(Path dir, String howToInstall) {
        require(Files.isDirectory(dir), dir + " is missing (" + howToInstall + ")");
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void require(boolean present, String what) {
        require(present, what, inCi());
    }

    static void require(boolean present, String what, boolean ci) {
        if (present) {
            return;
        }
        if (ci) {
            throw new AssertionError(what + "; CI=true, so the test fails instead of being skipped");
        }
        Assumptions.abort(what);
    }

    private static Optional<Path> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }
}
