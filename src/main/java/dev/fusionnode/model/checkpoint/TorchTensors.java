package dev.fusionnode.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/** Converts between {@link TorchTensor} and DJL {@link NDArray} (data is copied both ways). */
public final class TorchTensors {
    private TorchTensors() {}

    /**
     * A new NDArray on {@code manager} with the tensor's shape and values, and its type except for
     * bfloat16 and int16, which become float32 and int32 (exactly): DJL 0.32's PyTorch engine
     * aborts the JVM when it creates or casts to either type.
     *
     * @throws NullPointerException if an argument is null
     */
    public static NDArray toNDArray(NDManager manager, TorchTensor tensor) {
        Objects.requireNonNull(manager, "manager");
        Shape shape = new Shape(tensor.shape());
        if (tensor.dtype() == TorchDType.BFLOAT16) {
            return manager.create(tensor.toFloats(), shape);
        }
        if (tensor.dtype() == TorchDType.INT16) {
            long[] v = tensor.toLongs();
            int[] widened = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                widened[i] = (int) v[i];
            }
            return manager.create(widened, shape);
        }
        // the engine takes direct buffers in native order, which is little-endian like the data
        ByteBuffer direct =
                ByteBuffer.allocateDirect((int) (tensor.numel() * tensor.dtype().itemSize()))
                        .order(ByteOrder.nativeOrder());
        direct.put(tensor.data()).flip();
        return manager.create(direct, shape, djlType(tensor.dtype()));
    }

    /**
     * A tensor with the NDArray's type, shape and values.
     *
     * @throws IllegalArgumentException for a DJL type PyTorch checkpoints do not hold
     */
    public static TorchTensor fromNDArray(NDArray array) {
        TorchDType dtype = torchType(array.getDataType());
        // native order is little-endian on every platform DJL's PyTorch engine runs on
        ByteBuffer src = array.toByteBuffer();
        ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src).flip();
        return TorchTensor.wrap(dtype, copy, array.getShape().getShape());
    }

    /** The DJL type of a tensor type. */
    public static DataType djlType(TorchDType t) {
        return switch (t) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT16 -> DataType.FLOAT16;
            case BFLOAT16 -> DataType.BFLOAT16;
            case FLOAT64 -> DataType.FLOAT64;
            case INT64 -> DataType.INT64;
            case INT32 -> DataType.INT32;
            case INT16 -> DataType.INT16;
            case INT8 -> DataType.INT8;
            case UINT8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
        };
    }

    private static TorchDType torchType(DataType t) {
        for (TorchDType d : TorchDType.values()) {
            if (djlType(d) == t) {
                return d;
            }
        }
        throw new IllegalArgumentException("no PyTorch checkpoint type for DJL " + t);
    }
}
