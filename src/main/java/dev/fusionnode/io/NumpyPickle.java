package dev.fusionnode.io;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Teaches {@code net.razorvine.pickle} the numpy classes found in dataset pickles: {@code ndarray}
 * (through {@code multiarray._reconstruct} + {@code __setstate__}, and protocol 5's {@code
 * numeric._frombuffer}), {@code dtype} and numpy scalars. Both numpy 1 ({@code numpy.core}) and
 * numpy 2 ({@code numpy._core}) module names are registered.
 */
public final class NumpyPickle {
    private static volatile boolean registered;

    private NumpyPickle() {}

    /** Registers the constructors once per JVM (razorvine's registry is global). */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        for (String core : List.of("numpy.core", "numpy._core")) {
            Unpickler.registerConstructor(
                    core + ".multiarray", "_reconstruct", args -> new ArrayBuilder());
            Unpickler.registerConstructor(core + ".multiarray", "scalar", NumpyPickle::scalar);
            Unpickler.registerConstructor(
                    core + ".numeric", "_frombuffer", NumpyPickle::fromBuffer);
        }
        Unpickler.registerConstructor(
                "numpy", "dtype", args -> DType.parse(String.valueOf(args[0])));
        registered = true;
    }

    private static Object fromBuffer(Object[] args) {
        // _frombuffer(buffer, dtype, shape, order)
        byte[] data = (byte[]) args[0];
        DType dtype = (DType) args[1];
        int[] shape = toShape(args[2]);
        boolean fortran = "F".equals(String.valueOf(args[3]));
        return new NumpyArray(dtype.kind, dtype.itemSize, dtype.order, shape, fortran, data);
    }

    private static Object scalar(Object[] args) {
        DType dtype = (DType) args[0];
        byte[] data = (byte[]) args[1];
        NumpyArray one =
                new NumpyArray(dtype.kind, dtype.itemSize, dtype.order, new int[0], false, data);
        return dtype.kind == 'f'
                ? (Object) (double) one.toFloatArray()[0]
                : (Object) (long) one.toIntArray()[0];
    }

    static int[] toShape(Object o) {
        Object[] dims = o instanceof Object[] a ? a : new Object[] {o};
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = ((Number) dims[i]).intValue();
        }
        return shape;
    }

    /** A numpy dtype; {@code __setstate__} supplies the byte order. */
    public static final class DType {
        char kind;
        int itemSize;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        static DType parse(String code) {
            DType d = new DType();
            String c = code;
            if (c.startsWith("<") || c.startsWith(">") || c.startsWith("|") || c.startsWith("=")) {
                d.order = c.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                c = c.substring(1);
            }
            if (c.isEmpty()) {
                throw new PickleException("empty numpy dtype code");
            }
            d.kind = c.charAt(0);
            d.itemSize = c.length() > 1 ? Integer.parseInt(c.substring(1)) : 1;
            if (d.kind == '?') {
                d.kind = 'b';
            }
            return d;
        }

        /**
         * Receives numpy's dtype state {@code (version, byteorder, subarray, names, fields, elsize,
         * alignment, flags)}.
         */
        public void __setstate__(Object[] state) {
            if (state.length > 1 && state[1] instanceof String bo) {
                if (">".equals(bo)) {
                    order = ByteOrder.BIG_ENDIAN;
                } else if ("<".equals(bo)) {
                    order = ByteOrder.LITTLE_ENDIAN;
                }
            }
            if (state.length > 3 && state[3] != null) {
                throw new PickleException("structured numpy dtypes are not supported");
            }
        }
    }

    /**
     * The object {@code _reconstruct} returns; {@code __setstate__} fills it and {@link #array()}
     * gives it.
     */
    public static final class ArrayBuilder {
        private NumpyArray array;

        /** Receives {@code (version, shape, dtype, is_fortran, rawdata)}. */
        public void __setstate__(Object[] state) {
            int base = state.length == 5 ? 1 : 0;
            int[] shape = toShape(state[base]);
            if (!(state[base + 1] instanceof DType dtype)) {
                throw new PickleException("ndarray state has no dtype");
            }
            boolean fortran = Boolean.TRUE.equals(state[base + 2]);
            Object raw = state[base + 3];
            byte[] data;
            if (raw instanceof byte[] b) {
                data = b;
            } else if (raw instanceof String s) {
                data = s.getBytes(StandardCharsets.ISO_8859_1);
            } else {
                throw new PickleException("ndarray of Python objects is not supported");
            }
            array = new NumpyArray(dtype.kind, dtype.itemSize, dtype.order, shape, fortran, data);
        }

        /** The reconstructed array, or null when no state was set. */
        public NumpyArray array() {
            return array;
        }
    }
}
