package dev.winnow.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The behaviour every {@link ArtifactStore} must have, run against each implementation. */
abstract class ArtifactStoreContract {

    /** The store under test. */
    abstract ArtifactStore store();

    /** An empty directory URI (trailing slash) private to the current test. */
    abstract URI root();

    @Test
    void writesAndReadsBack() throws IOException {
        URI uri = Uris.resolve(root(), "a/b/hello.txt");
        store().writeString(uri, "hello\n");
        assertEquals("hello\n", store().readString(uri));
        try (InputStream in = store().open(uri)) {
            assertEquals('h', in.read());
        }
        assertTrue(store().exists(uri));
        assertTrue(store().exists(Uris.resolve(root(), "a/")));
        assertFalse(store().exists(Uris.resolve(root(), "a/b/other.txt")));
        assertFalse(store().exists(Uris.resolve(root(), "nothing/")));
    }

    @Test
    void overwriteReplacesContent() {
        URI uri = Uris.resolve(root(), "x.txt");
        store().writeString(uri, "first, longer content");
        store().writeString(uri, "second");
        assertEquals("second", store().readString(uri));
    }

    @Test
    void missingObjectIsAClearError() {
        URI uri = Uris.resolve(root(), "missing.txt");
        StorageException e = assertThrows(StorageException.class, () -> store().readAllBytes(uri));
        assertTrue(e.getMessage().contains("missing.txt"), e.getMessage());
    }

    @Test
    void listsRecursivelyInOrderWithSizes() {
        store().writeString(Uris.resolve(root(), "tags/b.txt"), "1\n2\n");
        store().writeString(Uris.resolve(root(), "tags/a.txt"), "1\n");
        store().writeString(Uris.resolve(root(), "tags/sub/c.txt"), "");
        store().writeString(Uris.resolve(root(), "tagsuffix.txt"), "not under tags/");
        List<StoredObject> found = store().list(Uris.resolve(root(), "tags/"));
        assertEquals(List.of("a.txt", "b.txt", "c.txt"), found.stream().map(StoredObject::name).toList());
        assertEquals(4, found.get(1).size());
        assertEquals(Uris.resolve(root(), "tags/sub/c.txt"), found.get(2).uri());
        assertTrue(found.get(0).lastModified() != null);
        assertEquals(List.of(), store().list(Uris.resolve(root(), "empty/")));
    }

    @Test
    void namesWithSpacesRoundTrip() {
        URI uri = Uris.resolve(root(), "with space/file #1.txt");
        store().writeString(uri, "ok");
        assertEquals("ok", store().readString(uri));
        assertEquals(uri, store().list(Uris.resolve(root(), "with space/")).get(0).uri());
    }

    @Test
    void deletesObjectsAndPrefixes() {
        URI one = Uris.resolve(root(), "d/one.txt");
        URI two = Uris.resolve(root(), "d/sub/two.txt");
        store().writeString(one, "1");
        store().writeString(two, "2");
        store().delete(one);
        assertFalse(store().exists(one));
        assertTrue(store().exists(two));
        store().delete(Uris.resolve(root(), "d/"));
        assertFalse(store().exists(two));
        store().delete(Uris.resolve(root(), "d/never.txt")); // absent: no error
    }

    @Test
    void stagesToALocalFile() throws IOException {
        URI uri = Uris.resolve(root(), "model/weights.bin");
        byte[] bytes = new byte[100_000];
        new Random(1).nextBytes(bytes);
        store().write(uri, out -> out.write(bytes));
        Path local = store().stage(uri);
        assertArrayEquals(bytes, Files.readAllBytes(local));
    }

    @Test
    void uploadsALocalFile() throws IOException {
        Path file = Files.createTempFile("winnow-upload", ".txt");
        Files.writeString(file, "uploaded");
        URI uri = Uris.resolve(root(), "up/file.txt");
        store().upload(file, uri);
        assertEquals("uploaded", store().readString(uri));
        Files.delete(file);
    }

    /** The atomic-publish property: while a write is under way, or after it failed, readers see
     *  the previous artifact (or none), never a partial one, and listings do not show it. */
    @Test
    void failedWritePublishesNothing() {
        URI fresh = Uris.resolve(root(), "atomic/fresh.npy");
        RuntimeException crash = assertThrows(RuntimeException.class, () -> store().write(fresh, out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertFalse(store().exists(fresh), "visible before the write completed");
            assertEquals(List.of(), store().list(Uris.resolve(root(), "atomic/")));
            throw new IOException("step crashed half-way");
        }));
        assertTrue(crash.getMessage().contains("crashed"), crash.getMessage());
        assertFalse(store().exists(fresh));
        assertEquals(List.of(), store().list(Uris.resolve(root(), "atomic/")));

        URI existing = Uris.resolve(root(), "atomic/existing.txt");
        store().writeString(existing, "complete v1");
        assertThrows(RuntimeException.class, () -> store().write(existing, out -> {
            out.write("torn v2".getBytes(StandardCharsets.UTF_8));
            assertEquals("complete v1", store().readString(existing));
            throw new IOException("crash");
        }));
        assertEquals("complete v1", store().readString(existing));
        assertEquals(1, store().list(Uris.resolve(root(), "atomic/")).size());
    }

    @Test
    void writersMayCloseTheStream() {
        URI uri = Uris.resolve(root(), "closed.txt");
        store().write(uri, out -> {
            out.write('x');
            out.close();
        });
        assertEquals("x", store().readString(uri));
    }

    @Test
    void refusesToWriteADirectoryUri() {
        assertThrows(IllegalArgumentException.class, () -> store().writeString(root(), "x"));
    }
}
