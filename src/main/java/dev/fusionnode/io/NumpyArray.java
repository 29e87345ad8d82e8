package dev.fusionnode.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * A numpy {@code ndarray} as unpickled: dtype, shape and the raw C- or Fortran-ordered bytes. Typed
 * accessors convert to Java arrays in C (row-major) order.
 */
public final class NumpyArray {
    private final char kind;
    private final int itemSize;
    private final ByteOrder order;
    private final int[] shape;
    private final boolean fortran;
    private final byte[] data;

    /**
     * Creates an array.
     *
     * @param kind numpy kind character: {@code f} float, {@code i} signed int, {@code u} unsigned
     *     int, {@code b} bool
     * @param itemSize bytes per element
     * @param order byte order of the elements
     * @param shape dimensions
     * @param fortran true for column-major data
     * @param data raw element bytes
     */
    public NumpyArray(
            char kind, int itemSize, ByteOrder order, int[] shape, boolean fortran, byte[] data) {
        this.kind = kind;
        this.itemSize = itemSize;
        this.order = order;
        this.shape = shape.clone();
        this.fortran = fortran;
        this.data = data;
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in shape " + Arrays.toString(shape));
            }
            count *= d;
        }
        if (count * itemSize != data.length) {
            throw new IllegalArgumentException(
                    "array of shape "
                            + Arrays.toString(shape)
                            + " and dtype "
                            + dtype()
                            + " needs "
                            + count * itemSize
                            + " bytes, found "
                            + data.length);
        }
    }

    /** The dtype string, numpy style (for example {@code float32}, {@code uint16}). */
    public String dtype() {
        String base =
                switch (kind) {
                    case 'f' -> "float";
                    case 'i' -> "int";
                    case 'u' -> "uint";
                    case 'b' -> "bool";
                    default -> "kind-" + kind;
                };
        return kind == 'b' ? base : base + (itemSize * 8);
    }

    /** A C-ordered little-endian float32 array over {@code values}. */
    public static NumpyArray float32(float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new NumpyArray('f', 4, ByteOrder.LITTLE_ENDIAN, shape, false, b.array());
    }

    /** A C-ordered little-endian uint16 array; each value must be in 0..65535. */
    public static NumpyArray uint16(int[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("value " + v + " does not fit in uint16");
            }
            b.putShort((short) v);
        }
        return new NumpyArray('u', 2, ByteOrder.LITTLE_ENDIAN, shape, false, b.array());
    }

    /** A C-ordered uint8 array over {@code values} (not copied). */
    public static NumpyArray uint8(byte[] values, int... shape) {
        return new NumpyArray('u', 1, ByteOrder.LITTLE_ENDIAN, shape, false, values);
    }

    /** The numpy kind character ({@code f}, {@code i}, {@code u}, {@code b}). */
    public char kind() {
        return kind;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** Byte order of the elements. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** True when the data is column-major. */
    public boolean fortranOrder() {
        return fortran;
    }

    /** The raw element bytes in storage order (not copied: do not modify). */
    byte[] rawData() {
        return data;
    }

    /** The dimensions. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int ndim() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return data.length / itemSize;
    }

    /** Element {@code i} (flat C-order index) as a double. */
    private double element(ByteBuffer b, int storageIndex) {
        int o = storageIndex * itemSize;
        return switch (kind) {
            case 'f' -> itemSize == 4 ? b.getFloat(o) : itemSize == 8 ? b.getDouble(o) : Float.NaN;
            case 'i' ->
                    switch (itemSize) {
                        case 1 -> b.get(o);
                        case 2 -> b.getShort(o);
                        case 4 -> b.getInt(o);
                        default -> b.getLong(o);
                    };
            case 'u', 'b' ->
                    switch (itemSize) {
                        case 1 -> b.get(o) & 0xFF;
                        case 2 -> b.getShort(o) & 0xFFFF;
                        case 4 -> b.getInt(o) & 0xFFFFFFFFL;
                        default -> b.getLong(o);
                    };
            default -> throw new IllegalStateException("unsupported dtype " + dtype());
        };
    }

    /** Returns the elements as floats in C order (float32 data is copied bit-exactly). */
    public float[] toFloatArray() {
        checkNumeric();
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) element(b, storageIndex(i));
        }
        return out;
    }

    /** Returns the elements as ints in C order (values must fit). */
    public int[] toIntArray() {
        checkNumeric();
        ByteBuffer b = ByteBuffer.wrap(data).order(order);
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) element(b, storageIndex(i));
        }
        return out;
    }

    private void checkNumeric() {
        if ("fiub".indexOf(kind) < 0 || (kind == 'f' && itemSize != 4 && itemSize != 8)) {
            throw new IllegalStateException("unsupported dtype " + dtype());
        }
    }

    /** Maps a C-order flat index to the storage index (they differ for Fortran-ordered arrays). */
    private int storageIndex(int cIndex) {
        if (!fortran || shape.length < 2) {
            return cIndex;
        }
        int rem = cIndex;
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rem % shape[d];
            rem /= shape[d];
        }
        int s = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            s = s * shape[d] + idx[d];
        }
        return s;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "ndarray(shape=%s, dtype=%s)", Arrays.toString(shape), dtype());
    }
}
