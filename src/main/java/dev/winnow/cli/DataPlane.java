package dev.winnow.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The operator image is the same jar packaged without the data plane (DJL and PyTorch, the embedded
 * API of demo and bench, the S3 client): its {@code winnow --help} still lists every command, so one
 * that reaches for a class left out says which image to use instead of failing with a stack trace.
 */
final class DataPlane {
    /** Packages that only the worker image and a source checkout carry. */
    static final List<String> LEFT_OUT = List.of("ai/djl/", "io/fabric8/mockwebserver/", "io/fabric8/kubernetes/client/server/mock/",
            "software/amazon/awssdk/");
    /** The embedded API that demo, bench and report --workdir start. */
    static final String EMBEDDED_API = "io.fabric8.mockwebserver.http.Dispatcher";

    private DataPlane() {
    }

    /**
     * Runs a command that starts the embedded API. Without it, or when another class of the data plane
     * is missing later, the command ends with exit code 2 and one line saying what to run instead;
     * the embedded API is looked for first, so no option or data check answers before it.
     */
    static int run(String command, Callable<Integer> body) throws Exception {
        try {
            Class.forName(EMBEDDED_API, false, DataPlane.class.getClassLoader());
            return body.call();
        } catch (ClassNotFoundException e) {
            return leftOut(command, new NoClassDefFoundError(EMBEDDED_API.replace('.', '/')));
        } catch (NoClassDefFoundError e) {
            return leftOut(command, e);
        }
    }

    private static int leftOut(String command, NoClassDefFoundError e) {
        System.err.println(message(command, e).orElseThrow(() -> e));
        return 2;
    }

    /** The message for a class the operator image leaves out; empty for any other missing class, a real bug. */
    static Optional<String> message(String command, NoClassDefFoundError e) {
        String missing = String.valueOf(e.getMessage()).replace('.', '/');
        if (LEFT_OUT.stream().noneMatch(missing::startsWith)) {
            return Optional.empty();
        }
        return Optional.of("winnow " + command + ": this jar is the operator's, packaged without the data plane ("
                + missing.replace('/', '.') + " is not in it); run it from the worker image (ghcr.io/winnow-dev/winnow-worker)"
                + " or a source checkout (./winnow " + command + ")");
    }
}
