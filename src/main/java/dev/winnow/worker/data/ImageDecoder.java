package dev.winnow.worker.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import javax.imageio.ImageIO;

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
