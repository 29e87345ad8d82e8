package dev.fusionnode.model.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One storage of a checkpoint ({@code <archive>/data/<key>}): the flat little-endian buffer that
 * tensors view with an offset, sizes and strides.
 *
 * @param dtype element type from the persistent id's storage class
 * @param key the record name under {@code data/}
 * @param numel elements in the storage
 * @param bytes the raw data, little-endian, exactly {@code numel * itemSize} bytes
 */
record Storage(TorchDType dtype, String key, long numel, ByteBuffer bytes) {

    /**
     * The tensor a {@code _rebuild_tensor_v2} call describes, copied out when it is not a
     * contiguous run of the storage (transposed, strided, expanded), shared otherwise.
     *
     * @throws IllegalArgumentException when the view reaches outside the storage
     */
    TorchTensor view(long offset, long[] size, long[] stride) {
        if (size.length != stride.length) {
            throw new IllegalArgumentException(
                    "size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride));
        }
        long numelView = 1;
        long last = offset;
        for (int d = 0; d < size.length; d++) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new IllegalArgumentException("negative size or stride");
            }
            numelView = Math.multiplyExact(numelView, size[d]);
            last += size[d] == 0 ? 0 : (size[d] - 1) * stride[d];
        }
        if (offset < 0 || (numelView > 0 && last >= numel)) {
            throw new IllegalArgumentException(
                    String.format(
                            "view (offset %d, size %s, stride %s) reaches element %d of storage"
                                    + " %s, which has %d",
                            offset,
                            Arrays.toString(size),
                            Arrays.toString(stride),
                            last,
                            key,
                            numel));
        }
        int item = dtype.itemSize();
        if (numelView == 0 || isContiguous(size, stride)) {
            ByteBuffer run =
                    bytes.duplicate()
                            .position((int) (offset * item))
                            .limit((int) ((offset + numelView) * item));
            return TorchTensor.wrap(dtype, run, size);
        }
        return TorchTensor.wrap(dtype, gather(offset, size, stride, numelView), size);
    }

    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= size[d];
        }
        return true;
    }

    /** Copies a strided view to row-major order, walking the index like an odometer. */
    private ByteBuffer gather(long offset, long[] size, long[] stride, long numelView) {
        int item = dtype.itemSize();
        byte[] out = new byte[Math.toIntExact(numelView * item)];
        byte[] element = new byte[item];
        long[] index = new long[size.length];
        long src = offset;
        for (int i = 0; i < numelView; i++) {
            bytes.get((int) (src * item), element);
            System.arraycopy(element, 0, out, i * item, item);
            for (int d = size.length - 1; d >= 0; d--) {
                if (++index[d] < size[d]) {
                    src += stride[d];
                    break;
                }
                src -= (size[d] - 1) * stride[d];
                index[d] = 0;
            }
        }
        return ByteBuffer.wrap(out);
    }
}
