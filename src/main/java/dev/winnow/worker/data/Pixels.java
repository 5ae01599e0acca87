package dev.winnow.worker.data;

import java.util.List;

/** Loads images of a source into one flat float array ([n, c, h, w]), the trainer's input. */
public final class Pixels {

    private Pixels() {
    }

    public static float[] load(ImageSource source, List<String> ids) {
        int size = source.shape().size();
        float[] pixels = new float[Math.multiplyExact(ids.size(), size)];
        for (int i = 0; i < ids.size(); i++) {
            source.read(ids.get(i), pixels, i * size);
        }
        return pixels;
    }
}
