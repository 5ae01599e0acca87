package dev.winnow.worker.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class NpyTest {

    @Test
    void roundTripsWithAnAlignedHeader() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NpyWriter writer = new NpyWriter(bytes, 2, 3)) {
            writer.write(new float[] {1, 2, 3});
            writer.write(new float[] {4, 5, 6});
        }
        byte[] file = bytes.toByteArray();
        int headerLength = (file[8] & 0xff) | (file[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64, "data must start on a 64-byte boundary");
        assertEquals(10 + headerLength + 6 * 4, file.length);
        String header = new String(file, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.trim());
        assertEquals('\n', header.charAt(header.length() - 1));
        NpyArray array = NpyArray.read(new ByteArrayInputStream(file));
        assertArrayEquals(new long[] {2, 3}, array.shape());
        assertEquals(6f, array.get(1, 2));
    }

    @Test
    void littleEndianFloatBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NpyWriter writer = new NpyWriter(bytes, 1)) {
            writer.write(new float[] {1f});
        }
        byte[] file = bytes.toByteArray();
        int data = file.length - 4;
        assertEquals(0, data % 64);
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3f}, java.util.Arrays.copyOfRange(file, data, data + 4));
        assertEquals("(1,)", new String(file).replaceAll("(?s).*'shape': (\\(1,\\)).*", "$1"));
    }

    @Test
    void shortOrLongDataIsAnError() {
        assertThrows(IOException.class, () -> {
            try (NpyWriter writer = new NpyWriter(new ByteArrayOutputStream(), 2, 2)) {
                writer.write(new float[] {1, 2, 3});
            }
        });
        assertThrows(IOException.class, () -> {
            try (NpyWriter writer = new NpyWriter(new ByteArrayOutputStream(), 1, 2)) {
                writer.write(new float[] {1, 2, 3});
            }
        });
    }

    @Test
    void emptyArraysAreValid() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new NpyWriter(bytes, 0, 10).close();
        NpyArray array = NpyArray.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(new long[] {0, 10}, array.shape());
    }
}
