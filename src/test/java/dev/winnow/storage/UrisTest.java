package dev.winnow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

class UrisTest {

    @Test
    void parsesTheForms() {
        assertEquals(URI.create("s3://b/k/"), Uris.parse("s3://b/k/"));
        assertEquals(URI.create("file:///data/x"), Uris.parse("file:///data/x"));
        assertEquals(URI.create("file:///data/x/"), Uris.parse("/data/x/"));
        assertThrows(IllegalArgumentException.class, () -> Uris.parse("http://host/x"));
        assertThrows(IllegalArgumentException.class, () -> Uris.parse("file:relative"));
        assertThrows(IllegalArgumentException.class, () -> Uris.parse(" "));
    }

    @Test
    void resolvesAndRelativizes() {
        URI dir = URI.create("s3://bucket/runs/r1");
        URI child = Uris.resolve(dir, "predictions/part-0/ids.txt");
        assertEquals(URI.create("s3://bucket/runs/r1/predictions/part-0/ids.txt"), child);
        assertEquals("predictions/part-0/ids.txt", Uris.relativize(dir, child));
        assertEquals("ids.txt", Uris.fileName(child));
        assertEquals(URI.create("s3://bucket/runs/r1/predictions/part-0/"), Uris.parent(child));
        assertTrue(Uris.isDirectory(Uris.asDirectory(dir)));
        assertEquals("a b", Uris.fileName(Uris.resolve(dir, "a b")));
    }

    @Test
    void fileUrisKeepTheTripleSlashForm() {
        assertEquals("file:///data/x/m.jsonl", Uris.resolve(URI.create("file:/data/x/"), "m.jsonl").toString());
        assertEquals("file:///data/x", Uris.parse("file:/data/x").toString());
        assertEquals("file:///data/", Uris.parent(URI.create("file:///data/x")).toString());
    }
}
