package dev.fusionnode.model.checkpoint;

import java.util.Locale;
import java.util.Optional;

/**
 * The PyTorch element types a checkpoint tensor can have, with their legacy storage class names.
 */
public enum TorchDType {
    /** {@code torch.float32}. */
    FLOAT32("FloatStorage", 4, true),
    /** {@code torch.float16} (IEEE half). */
    FLOAT16("HalfStorage", 2, true),
    /** {@code torch.bfloat16} (the upper 16 bits of a float32). */
    BFLOAT16("BFloat16Storage", 2, true),
    /** {@code torch.float64}. */
    FLOAT64("DoubleStorage", 8, true),
    /** {@code torch.int64}. */
    INT64("LongStorage", 8, false),
    /** {@code torch.int32}. */
    INT32("IntStorage", 4, false),
    /** {@code torch.int16}. */
    INT16("ShortStorage", 2, false),
    /** {@code torch.int8}. */
    INT8("CharStorage", 1, false),
    /** {@code torch.uint8}; also the element type of an untyped storage. */
    UINT8("ByteStorage", 1, false),
    /** {@code torch.bool}, one byte per element (0 or 1). */
    BOOL("BoolStorage", 1, false);

    private final String storageName;
    private final int itemSize;
    private final boolean floatingPoint;

    TorchDType(String storageName, int itemSize, boolean floatingPoint) {
        this.storageName = storageName;
        this.itemSize = itemSize;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** True for the float types. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The legacy storage class in module {@code torch}, e.g. {@code FloatStorage}. */
    public String storageName() {
        return storageName;
    }

    /** PyTorch's name without the module, e.g. {@code float32}. */
    public String pythonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type of a storage class name as pickled in a persistent id ({@code FloatStorage}, ...);
     * {@code UntypedStorage} gives {@link #UINT8}.
     */
    public static Optional<TorchDType> fromStorageName(String name) {
        if ("UntypedStorage".equals(name)) {
            return Optional.of(UINT8);
        }
        for (TorchDType t : values()) {
            if (t.storageName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
