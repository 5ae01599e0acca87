package dev.winnow.sampling.strategy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * DJL with the PyTorch engine, loaded on first use only: the row-wise strategies never pay
 * for it. The native library comes from the pytorch-native-cpu jar, so nothing is
 * downloaded; the device is the engine's default, a GPU when the pod has one.
 */
final class Tensors {
    private Tensors() {
    }

    static NDManager manager() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine engine = Engine.getEngine("PyTorch");
        Device device = engine.defaultDevice();
        return NDManager.newBaseManager(device, "PyTorch");
    }
}
