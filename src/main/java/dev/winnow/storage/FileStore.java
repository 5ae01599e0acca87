package dev.winnow.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code file://} artifacts. Publishing writes a hidden temporary file next to the target and
 * renames it into place: a rename within one directory is atomic on POSIX file systems, so readers
 * see the old artifact or the complete new one, never a torn one.
 */
public final class FileStore implements ArtifactStore {

    /** Prefix of files being written; listings skip them. */
    static final String TEMP_PREFIX = ".winnow-tmp-";

    @Override
    public InputStream open(URI uri) {
        Path path = path(uri);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new StorageException("not found: " + uri, e);
        } catch (IOException e) {
            throw ArtifactStore.failure("cannot read", uri, e);
        }
    }

    @Override
    public void write(URI uri, Content content) {
        Path target = objectPath(uri);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                content.writeTo(new ShieldedOutputStream(out));
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            temp = null;
        } catch (IOException e) {
            throw ArtifactStore.failure("cannot write", uri, e);
        } finally {
            TempFiles.deleteQuietly(temp);
        }
    }

    @Override
    public void upload(Path file, URI uri) {
        write(uri, out -> Files.copy(file, out));
    }

    @Override
    public List<StoredObject> list(URI directory) {
        Path dir = path(Uris.asDirectory(directory));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredObject> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    continue;
                }
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
                if (attrs.isRegularFile()) {
                    found.add(new StoredObject(Uris.fromPath(p, false), attrs.size(),
                            attrs.lastModifiedTime().toInstant()));
                }
            }
        } catch (NoSuchFileException e) {
            // a file vanished while walking: what is left is still a valid listing
        } catch (IOException e) {
            throw ArtifactStore.failure("cannot list", directory, e);
        }
        found.sort(StoredObject.BY_URI);
        return found;
    }

    @Override
    public boolean exists(URI uri) {
        if (Uris.isDirectory(uri)) {
            return !list(uri).isEmpty();
        }
        return Files.isRegularFile(path(uri));
    }

    @Override
    public void delete(URI uri) {
        Path path = path(uri);
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw ArtifactStore.failure("cannot delete", uri, e);
        }
    }

    @Override
    public Path stage(URI uri) {
        Path path = path(uri);
        if (!Files.isRegularFile(path)) {
            throw new StorageException("not found: " + uri);
        }
        return path;
    }

    static Path path(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a file URI: " + uri);
        }
        return Path.of(uri);
    }

    private static Path objectPath(URI uri) {
        if (Uris.isDirectory(uri)) {
            throw new IllegalArgumentException("cannot write to a directory URI: " + uri);
        }
        return path(uri);
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // some network file systems; a same-directory rename is still the best they offer
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
