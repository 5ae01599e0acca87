package dev.winnow.worker.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** DJL set up for step pods: offline (nothing may download at run time), GPU when there is one. */
public final class Djl {

    private Djl() {
    }

    /**
     * Call before the first DJL use. The native library comes from the pytorch-native jar on the
     * classpath, or, in Winnow's images, from where the build unpacked it ({@code PYTORCH_LIBRARY_PATH},
     * see {@link NativeLibrary}).
     */
    public static synchronized Engine engine() {
        setDefault("ai.djl.offline", "true");
        String unpacked = System.getenv("PYTORCH_LIBRARY_PATH");
        if (unpacked != null && !unpacked.isBlank()) {
            // DJL counts GPUs through JNA's cudart, which the unpacked CUDA build holds
            setDefault("jna.library.path", unpacked);
        }
        // One inter-op thread and intra-op threads = the CPUs the container may use: PyTorch's own
        // default counts the node's cores, and oversubscribing a CPU limit made training 5-10x slower.
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("ai.djl.pytorch.num_threads", System.getenv().getOrDefault("WINNOW_THREADS", // Variables.THREADS
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        return Engine.getInstance();
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Engine, version and devices, for {@code winnow worker engine} (is the GPU visible?). */
    public static java.util.Map<String, Object> describe() {
        Engine engine = engine();
        java.util.Map<String, Object> info = new java.util.LinkedHashMap<>();
        info.put("engine", engine.getEngineName());
        info.put("version", engine.getVersion());
        info.put("library", ai.djl.pytorch.jni.LibUtils.getLibtorchPath());
        info.put("gpus", engine.getGpuCount());
        info.put("device", device().toString());
        info.put("threads", System.getProperty("ai.djl.pytorch.num_threads"));
        return info;
    }

    /** The first GPU when the engine sees one (a CUDA image on a GPU node), else the CPU. */
    public static Device device() {
        return engine().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}
