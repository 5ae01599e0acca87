package dev.winnow.worker.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.winnow.storage.FileStore;
import dev.winnow.worker.TestData;

/** An ImageFolder's top-level test/ folder is held out of the pool; stored sizes come from the file headers. */
class ImageFolderHeldOutTest {

    @TempDir
    Path dir;

    @Test
    void theTestFolderIsHeldOutAndClassFoldersStillGiveGroundTruth() throws IOException {
        TestData.image(dir.resolve("red/a.png"), 0xff0000, "png");
        TestData.image(dir.resolve("blue/b.jpg"), 0x0000ff, "jpg");
        TestData.image(dir.resolve("test/c.png"), 0xff0000, "png");
        ClassList classes = new ClassList(List.of("red", "blue"));
        ImageFolderSource source = ImageFolderSource.open(new FileStore(), dir.toUri(), classes, 16);
        assertEquals(List.of("blue/b", "red/a"), source.poolIds().stream().sorted().toList());
        assertEquals(List.of("test/c"), source.heldOutIds());
        assertEquals(OptionalInt.of(0), source.groundTruth("red/a"), "class folders are ground truth beside test/");
        assertEquals(new ImageShape(3, 6, 10), source.storedShape("test/c"), "height and width of the file");
        assertEquals(new ImageShape(3, 16, 16), source.shape());
        assertTrue(source.uriOf("test/c").isPresent());
    }

    @Test
    void aFolderWithOnlyTestImagesHasNoPool() throws IOException {
        TestData.image(dir.resolve("test/c.png"), 0xff0000, "png");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolderSource.open(new FileStore(), dir.toUri(), new ClassList(List.of("red")), 16));
        assertTrue(e.getMessage().contains("outside its held-out test/ folder"), e.getMessage());
    }
}
