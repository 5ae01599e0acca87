package dev.winnow.worker.data;

/** Channels, height and width of the tensors a source produces. */
public record ImageShape(int channels, int height, int width) {

    public int size() {
        return channels * height * width;
    }
}
