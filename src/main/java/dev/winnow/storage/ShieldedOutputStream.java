package dev.winnow.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Handed to {@link ArtifactStore.Content}: writers such as Jackson close the stream they are given,
 * but the store still has to sync and publish it afterwards, so close only flushes.
 */
final class ShieldedOutputStream extends FilterOutputStream {

    ShieldedOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
