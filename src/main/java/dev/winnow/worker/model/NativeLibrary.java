package dev.winnow.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import ai.djl.util.Platform;
import ai.djl.util.Utils;

/**
 * PyTorch's native library unpacked out of its jar when an image is built
 * ({@code winnow worker engine --unpack DIR}). DJL would extract it on first use, but only into a
 * writable cache, and only on a machine that matches the jar's flavour: a CUDA jar is not
 * extracted on a build machine without a GPU. Unpacked, the image leaves the jar (110 MB for the
 * CPU, 2.4 GB for CUDA) out, and step pods load the library offline from a read-only root: DJL
 * takes it from {@code PYTORCH_LIBRARY_PATH} with the flavour in {@code PYTORCH_FLAVOR}, and its
 * JNI glue from the engine cache ({@code ENGINE_CACHE_DIR}), where this puts it under the name
 * DJL looks for.
 */
public final class NativeLibrary {

    static final String PROPERTIES = "native/lib/pytorch.properties";
    /** DJL counts GPUs by loading {@code cudart} through JNA; the CUDA jar ships it under a hashed name. */
    static final String CUDART = "libcudart.so";

    /** What was written: the libraries' directory and the JNI library DJL will load with them. */
    public record Unpacked(String flavor, String pytorchVersion, String library, String jni, List<String> files) {
    }

    private NativeLibrary() {
    }

    /**
     * Copies the libraries of the pytorch-native jar on the class path into {@code dir}, and the
     * JNI library of the same flavour into DJL's engine cache.
     *
     * @param flavor the flavour the image is built for ({@code cpu}, {@code cu124}); null takes the jar's
     */
    public static Unpacked unpack(Path dir, String flavor) throws IOException {
        return unpack(dir, Utils.getEngineCacheDir(), flavor);
    }

    static Unpacked unpack(Path dir, Path engineCache, String flavor) throws IOException {
        ClassLoader loader = NativeLibrary.class.getClassLoader();
        Properties jar = new Properties();
        try (InputStream in = loader.getResourceAsStream(PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("no pytorch-native jar on the class path (" + PROPERTIES + " not found)");
            }
            jar.load(in);
        }
        String found = jar.getProperty("flavor");
        String classifier = jar.getProperty("classifier");
        if (flavor != null && !flavor.isBlank() && !flavor.equals(found)) {
            throw new IllegalStateException("the jar holds PyTorch's " + found + " build, not " + flavor
                    + " (package with -Pcuda for cu124, without it for cpu)");
        }
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>();
        for (String library : jar.getProperty("libraries", "").split(",")) {
            copy(loader, "pytorch/" + found + "/" + classifier + "/" + library, dir.resolve(library));
            files.add(library);
            if (library.startsWith("libcudart")) {
                Files.deleteIfExists(dir.resolve(CUDART));
                Files.createSymbolicLink(dir.resolve(CUDART), Path.of(library));
            }
        }
        // DJL names the JNI library after the engine's PyTorch version (not the jar's build stamp),
        // since the engine no longer sees the jar once the image has left it out
        Platform engine = Platform.fromSystem("pytorch");
        String jniName = System.mapLibraryName("djl_torch");
        Path jni = engineCache.resolve("pytorch").resolve(engine.getVersion() + "-" + found + "-" + classifier)
                .resolve(engine.getApiVersion() + "-" + jniName);
        Files.createDirectories(jni.getParent());
        copy(loader, "jnilib/" + classifier + "/" + found + "/" + jniName, jni);
        return new Unpacked(found, engine.getVersion(), dir.toString(), jni.toString(), files);
    }

    private static void copy(ClassLoader loader, String resource, Path target) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " not found on the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
