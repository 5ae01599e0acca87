package dev.winnow.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an image build unpacks: the CPU jar of the test class path, into the names DJL loads. */
class NativeLibraryTest {

    @TempDir
    Path dir;

    @Test
    void unpacksEveryLibraryOfTheJarAndTheJniLibraryWhereDjlLooksForIt() throws Exception {
        Properties jar = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(NativeLibrary.PROPERTIES)) {
            jar.load(in);
        }
        NativeLibrary.Unpacked unpacked = NativeLibrary.unpack(dir.resolve("libtorch"), dir.resolve("cache"), "cpu");

        assertEquals("cpu", unpacked.flavor());
        assertEquals(List.of(jar.getProperty("libraries").split(",")), unpacked.files());
        for (String library : unpacked.files()) {
            Path file = dir.resolve("libtorch").resolve(library);
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("pytorch/cpu/linux-x86_64/" + library)) {
                assertEquals(in.readAllBytes().length, Files.size(file), library);
            }
        }
        assertTrue(Files.exists(dir.resolve("libtorch/libtorch.so")));
        // LibUtils.findJniLibrary: <engine cache>/pytorch/<engine's pytorch version>-<flavor>-<classifier>/<djl version>-libdjl_torch.so
        Path jni = dir.resolve("cache/pytorch/2.5.1-cpu-linux-x86_64/0.32.0-libdjl_torch.so");
        assertEquals(jni.toString(), unpacked.jni());
        assertTrue(Files.size(jni) > 1_000_000, "the JNI library itself");
    }

    @Test
    void refusesAJarOfAnotherFlavour() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeLibrary.unpack(dir.resolve("libtorch"), dir.resolve("cache"), "cu124"));
        assertEquals("the jar holds PyTorch's cpu build, not cu124 (package with -Pcuda for cu124, without it for cpu)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("libtorch")), "nothing written");
    }
}
