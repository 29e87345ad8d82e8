package dev.fusionnode.model.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A plain, immutable tensor as PyTorch checkpoints hold it: an element type, a shape and contiguous
 * (row-major) little-endian data. No engine types; see {@link TorchTensors} for DJL.
 */
public final class TorchTensor {
    private final TorchDType dtype;
    private final long[] shape;
    private final long numel;
    private final ByteBuffer data;

    private TorchTensor(TorchDType dtype, long[] shape, ByteBuffer data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long n = 1;
        for (long d : this.shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (data.remaining() != n * dtype.itemSize()) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s %s needs %d bytes, got %d",
                            dtype.pythonName(),
                            Arrays.toString(shape),
                            n * dtype.itemSize(),
                            data.remaining()));
        }
        this.numel = n;
        this.data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A tensor over the remaining bytes of {@code data} (little-endian, row-major), not copied: the
     * caller must not change them afterwards.
     *
     * @throws IllegalArgumentException when the byte count does not fit the shape
     */
    public static TorchTensor wrap(TorchDType dtype, ByteBuffer data, long... shape) {
        return new TorchTensor(dtype, shape, Objects.requireNonNull(data, "data"));
    }

    /** A float32 tensor with a copy of {@code values}. */
    public static TorchTensor ofFloats(float[] values, long... shape) {
        ByteBuffer b = allocate(values.length, 4);
        b.asFloatBuffer().put(values);
        return new TorchTensor(TorchDType.FLOAT32, shape, b);
    }

    /** A float64 tensor with a copy of {@code values}. */
    public static TorchTensor ofDoubles(double[] values, long... shape) {
        ByteBuffer b = allocate(values.length, 8);
        b.asDoubleBuffer().put(values);
        return new TorchTensor(TorchDType.FLOAT64, shape, b);
    }

    /** An int64 tensor with a copy of {@code values}. */
    public static TorchTensor ofLongs(long[] values, long... shape) {
        ByteBuffer b = allocate(values.length, 8);
        b.asLongBuffer().put(values);
        return new TorchTensor(TorchDType.INT64, shape, b);
    }

    /** An int32 tensor with a copy of {@code values}. */
    public static TorchTensor ofInts(int[] values, long... shape) {
        ByteBuffer b = allocate(values.length, 4);
        b.asIntBuffer().put(values);
        return new TorchTensor(TorchDType.INT32, shape, b);
    }

    private static ByteBuffer allocate(int n, int itemSize) {
        return ByteBuffer.allocate(Math.multiplyExact(n, itemSize)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The element type. */
    public TorchDType dtype() {
        return dtype;
    }

    /** A copy of the shape; empty for a 0-d tensor. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for a 0-d tensor). */
    public long numel() {
        return numel;
    }

    /** A read-only little-endian view of the data, positioned at 0. */
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The elements as float (float16/bfloat16 widened, integers and bools converted). */
    public float[] toFloats() {
        float[] out = new float[checkedNumel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) get(i);
        }
        return out;
    }

    /** The elements as double (exact for every type but large int64 values). */
    public double[] toDoubles() {
        double[] out = new double[checkedNumel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /**
     * The elements of an integer or bool tensor as long.
     *
     * @throws IllegalStateException for a floating-point tensor
     */
    public long[] toLongs() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("toLongs() on a " + dtype.pythonName() + " tensor");
        }
        long[] out = new long[checkedNumel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype == TorchDType.INT64 ? data.getLong(8 * i) : (long) get(i);
        }
        return out;
    }

    /** Element {@code i} of the row-major data as double. */
    public double get(int i) {
        return switch (dtype) {
            case FLOAT32 -> data.getFloat(4 * i);
            case FLOAT16 -> HalfFloats.halfToFloat(data.getShort(2 * i));
            case BFLOAT16 -> HalfFloats.bfloat16ToFloat(data.getShort(2 * i));
            case FLOAT64 -> data.getDouble(8 * i);
            case INT64 -> data.getLong(8 * i);
            case INT32 -> data.getInt(4 * i);
            case INT16 -> data.getShort(2 * i);
            case INT8, BOOL -> data.get(i);
            case UINT8 -> data.get(i) & 0xFF;
        };
    }

    private int checkedNumel() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(n + " elements do not fit a Java array");
        }
        return (int) n;
    }

    /** Same type, shape and bytes. */
    public boolean contentEquals(TorchTensor other) {
        return other != null
                && dtype == other.dtype
                && Arrays.equals(shape, other.shape)
                && data.equals(other.data);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "TorchTensor[" + dtype.pythonName() + ", " + Arrays.toString(shape) + "]";
    }
}
