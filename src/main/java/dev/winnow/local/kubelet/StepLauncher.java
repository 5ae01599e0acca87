package dev.winnow.local.kubelet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts a step container as a local process. The executor decides what may run and with which arguments;
 * the launcher only turns "the {@code winnow} command with these arguments" into a process, so tests can put a
 * small script in place of the real worker.
 */
public interface StepLauncher {

    /**
     * @param winnowArgs arguments to the image's entrypoint, the {@code winnow} command (e.g. worker, train)
     * @param env        the container's whole environment
     * @param workingDir the process's working directory
     * @param log        file the process's stdout and stderr are appended to
     */
    Process start(List<String> winnowArgs, Map<String, String> env, Path workingDir, Path log) throws IOException;
}
