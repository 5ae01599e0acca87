package dev.winnow.local.demo;

import dev.winnow.map.PoolMap;
import dev.winnow.map.PoolMapSource;
import dev.winnow.storage.Stores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The demo's pool map: redrawn into the workdir whenever a loop's selection changes (each round), once the
 * Dataset's embeddings exist (with --embed). Drawing runs on its own thread, so the loop never waits for it.
 */
final class DemoPoolMap implements AutoCloseable {
    private final Path workdir;
    private final String dataset;
    private final ExecutorService drawer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "demo-pool-map");
        t.setDaemon(true);
        return t;
    });
    private volatile String lastSelection;

    DemoPoolMap(Path workdir, String dataset) {
        this.workdir = workdir;
        this.dataset = dataset;
    }

    /** A loop's current SelectionRound; a new one means a new pick to show (when it is labeled, at the latest). */
    void selectionChanged(String selectionRound) {
        if (selectionRound != null && !selectionRound.equals(lastSelection)) {
            lastSelection = selectionRound;
            drawer.submit(this::draw);
        }
    }

    /** Draws now; empty when there are no embeddings to draw (no --embed) or drawing failed. */
    Optional<List<Path>> draw() {
        Path artifacts = workdir.resolve("artifacts");
        if (!Files.exists(artifacts.resolve("datasets").resolve(dataset).resolve("embeddings").resolve("ids.txt"))) {
            return Optional.empty();
        }
        try {
            Stores store = Stores.fromEnvironment(Map.of());
            return Optional.of(PoolMap.write(workdir, PoolMapSource.read(store, artifacts.toUri(), dataset)));
        } catch (Exception e) {
            System.err.println("warning: could not draw the pool map: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        drawer.shutdownNow();
        try {
            drawer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
