package dev.winnow.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;

import dev.winnow.contract.Variables;
import dev.winnow.storage.Uris;

/**
 * Writes a step's one JSON object where the kubelet reads it: {@code /dev/termination-log}, or the
 * file named by {@code WINNOW_TERMINATION_LOG} (a path or a {@code file://} URI) for local runs.
 */
public final class TerminationLog {

    static final Path DEFAULT = Path.of("/dev/termination-log");
    private static final Logger LOG = Logger.getLogger(TerminationLog.class);

    private TerminationLog() {
    }

    public static Path location(StepEnvironment env) {
        return env.optional(Variables.TERMINATION_LOG).map(v -> v.startsWith("file:") ? Path.of(Uris.parse(v)) : Path.of(v))
                .orElse(DEFAULT);
    }

    /** Writes the message; a missing default log (a run outside Kubernetes) is only logged. */
    public static void write(StepEnvironment env, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > StepResult.MAX_MESSAGE_BYTES) {
            throw new IllegalStateException("termination message is " + bytes.length
                    + " bytes, over the 4096 Kubernetes keeps");
        }
        Path path = location(env);
        try {
            if (path.getParent() != null && !path.equals(DEFAULT)) {
                Files.createDirectories(path.getParent());
            }
            Files.write(path, bytes);
        } catch (IOException e) {
            if (path.equals(DEFAULT)) {
                LOG.debugf("no %s outside a pod: %s", path, e.getMessage());
            } else {
                throw new IllegalStateException("cannot write termination log " + path + ": " + e, e);
            }
        }
    }
}
