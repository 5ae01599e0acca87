package dev.winnow.cli;

import dev.winnow.map.PoolMap;
import dev.winnow.map.PoolMapSource;
import dev.winnow.storage.Stores;
import dev.winnow.storage.Uris;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code winnow map}: the pool map of any Dataset's artifacts, file:// or s3:// (AWS variables as for the steps). */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = "Draw the pool map of a Dataset: its self-supervised embeddings projected to 2-D (PCA), coloured "
                + "by the round that picked each sample, grey where none did. Writes pool-map.svg and pool-map.png.")
public class MapCommand implements Callable<Integer> {

    @Option(names = "--artifacts", required = true, paramLabel = "URI",
            description = "The Dataset's spec.artifacts.uri, e.g. s3://bucket/winnow/ or file:///data/winnow/.")
    String artifacts;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "The Dataset's name.")
    String dataset;

    @Option(names = "--out", defaultValue = ".", paramLabel = "DIR", description = "Where to write the pictures (default: here).")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (Stores store = Stores.fromEnvironment(System.getenv())) {
            List<Path> written = PoolMap.write(out, PoolMapSource.read(store, Uris.parse(artifacts), dataset));
            written.forEach(p -> System.out.println(p.toAbsolutePath()));
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("winnow map: " + e.getMessage());
            return 2;
        }
    }
}
