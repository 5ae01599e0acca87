package dev.winnow.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class S3StoreTest extends ArtifactStoreContract {

    private static final AtomicInteger TESTS = new AtomicInteger();
    private static S3ProxyServer server;
    private static S3Store store;
    private URI root;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3ProxyServer();
        server.createBucket("artifacts");
        // the smallest legal part size, so the multipart path is exercised with small files
        store = new S3Store(server.settings(), 5L * 1024 * 1024);
    }

    @AfterAll
    static void stopServer() throws Exception {
        store.close();
        server.close();
    }

    @BeforeEach
    void freshPrefix() {
        root = URI.create("s3://artifacts/test-" + TESTS.incrementAndGet() + "/");
    }

    @Override
    ArtifactStore store() {
        return store;
    }

    @Override
    URI root() {
        return root;
    }

    @Test
    void largeObjectsGoUpInParts() throws IOException {
        byte[] bytes = new byte[11 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bytes);
        Path file = Files.createTempFile("winnow-big", ".bin");
        Files.write(file, bytes);
        URI uri = Uris.resolve(root, "big.bin");
        store.upload(file, uri);
        assertArrayEquals(bytes, store.readAllBytes(uri));
        Files.delete(file);
    }

    @Test
    void storesRouteByScheme() {
        try (Stores stores = Stores.fromEnvironment(server.awsEnvironment())) {
            URI uri = Uris.resolve(root, "routed.txt");
            stores.writeString(uri, "via env");
            assertEquals("via env", store.readString(uri));
            assertThrows(IllegalArgumentException.class, () -> stores.exists(URI.create("http://x/y")));
        }
    }

    @Test
    void wrongCredentialsFail() {
        S3Settings bad = new S3Settings(server.endpoint(), "us-east-1", "nobody", "wrong", null);
        try (S3Store other = new S3Store(bad)) {
            assertThrows(StorageException.class, () -> other.exists(Uris.resolve(root, "x.txt")));
            assertFalse(store.exists(Uris.resolve(root, "x.txt")));
        }
    }
}
