package dev.winnow.worker.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.winnow.storage.ArtifactStore;
import dev.winnow.storage.StorageException;

/** Decodes PNG/JPEG files into fixed-size RGB tensors (channel-major, [0, 1]). */
final class ImageDecoder {

    static {
        // decoding only; never open a display
        System.setProperty("java.awt.headless", "true");
    }

    private ImageDecoder() {
    }

    /** Channels, height and width from the file's header, without decoding its pixels. */
    static ImageShape shape(ArtifactStore store, URI uri) {
        try (InputStream in = store.open(uri); ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("not a PNG or JPEG image: " + uri);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                return new ImageShape(3, reader.getHeight(0), reader.getWidth(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new StorageException("cannot read image " + uri + ": " + e.getMessage(), e);
        }
    }

    static void read(ArtifactStore store, URI uri, int size, float[] dst, int offset) {
        BufferedImage image;
        try (InputStream in = store.open(uri)) {
            image = ImageIO.read(in);
        } catch (IOException e) {
            throw new StorageException("cannot read image " + uri + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException("not a PNG or JPEG image: " + uri);
        }
        BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, size, size, null);
        g.dispose();
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = scaled.getRGB(x, y);
                int p = offset + y * size + x;
                dst[p] = ((rgb >> 16) & 0xff) / 255f;
                dst[p + plane] = ((rgb >> 8) & 0xff) / 255f;
                dst[p + 2 * plane] = (rgb & 0xff) / 255f;
            }
        }
    }
}
