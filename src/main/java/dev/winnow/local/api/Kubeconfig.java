package dev.winnow.local.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a kubeconfig for the embedded API: plain http on 127.0.0.1, no credentials, which kubectl accepts as is. */
public final class Kubeconfig {
    public static final String CONTEXT = "winnow-demo";

    private Kubeconfig() {
    }

    public static Path write(Path file, String serverUrl, String namespace) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: %3$s
                current-context: %1$s
                users:
                - name: %1$s
                  user: {}
                """.formatted(CONTEXT, serverUrl, namespace);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, yaml);
        // replace atomically so a kubectl started mid-write never reads half a file
        return Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
