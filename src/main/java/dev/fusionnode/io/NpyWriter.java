package dev.fusionnode.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Writes numpy {@code .npy} files (format version 1.0, C order, little-endian). */
public final class NpyWriter {
    private NpyWriter() {}

    /** Writes a float32 array of the given shape. */
    public static void writeFloat32(Path file, float[] data, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        write(file, "<f4", b.array(), shape);
    }

    /** Writes a uint8 array of the given shape. */
    public static void writeUint8(Path file, byte[] data, int... shape) throws IOException {
        write(file, "|u1", data, shape);
    }

    private static void write(Path file, String descr, byte[] payload, int[] shape)
            throws IOException {
        String dims =
                Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        if (shape.length == 1) {
            dims += ",";
        }
        String dict =
                "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            int len = header.length();
            out.write(new byte[] {(byte) (len & 0xFF), (byte) (len >> 8)});
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
        }
    }
}
