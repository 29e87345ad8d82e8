package dev.fusionnode.model.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * libtorch kernels that DJL 0.32's JNI layer does not reach, called through a tiny TorchScript
 * module whose source is written here and compiled by libtorch when first used: the align-corners
 * bilinear resize ({@code upsample_bilinear2d}; DJL's interpolate always antialiases), fused
 * attention ({@code scaled_dot_product_attention}), {@code group_norm}, and timm's weight
 * standardisation ({@code batch_norm} over each output channel's kernel). DJL runs TorchScript
 * below autograd, so their results carry no autograd history: they serve forwards that are not
 * training ({@link #applies}), and training takes the differentiable ops DJL reaches.
 *
 * <p>The module has no parameters and no state; libtorch runs its methods concurrently from any
 * thread.
 */
public final class TorchKernels {
    /** The module's TorchScript source, as {@code torch.jit.save} lays it out. */
    private static final String SOURCE =
            """
            class Kernels(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Kernels,
                x: Tensor) -> Tensor:
                return x
              def bilinear_align_corners(self: __torch__.Kernels,
                x: Tensor,
                size: List[int]) -> Tensor:
                return torch.upsample_bilinear2d(x, size, True)
              def attention(self: __torch__.Kernels,
                q: Tensor,
                k: Tensor,
                v: Tensor) -> Tensor:
                return torch.scaled_dot_product_attention(q, k, v)
              def group_norm(self: __torch__.Kernels,
                x: Tensor,
                groups: int,
                weight: Tensor,
                bias: Tensor,
                eps: float) -> Tensor:
                return torch.group_norm(x, groups, weight, bias, eps, True)
              def standardized(self: __torch__.Kernels,
                w: Tensor,
                eps: float) -> Tensor:
                flat = torch.reshape(w, [1, torch.size(w, 0), -1])
                y = torch.batch_norm(flat, None, None, None, None, True, 0., eps, True)
                return torch.reshape_as(y, w)
            """;

    /**
     * The module object, pickled: {@code __torch__.Kernels} with state {@code {training: True}}.
     */
    private static final byte[] DATA = pickledModule();

    /** An empty tuple, pickled: the module has no constants. */
    private static final byte[] CONSTANTS = {(byte) 0x80, 2, ')', '.'};

    private static volatile PtSymbolBlock module;

    private TorchKernels() {}

    /**
     * Whether these kernels serve a forward: whenever it is not training. Their results carry no
     * autograd history, so a forward that is not training must also record no gradient, as every
     * thread of the node that runs one ensures (libtorch's grad mode off); an op that recorded
     * would refuse their results ("inference tensors cannot be saved for backward").
     */
    public static boolean applies(boolean training) {
        return !training;
    }

    /**
     * {@code upsample_bilinear2d(x, [height, width], align_corners=True)} of a (B, C, H, W) array.
     */
    public static PtNDArray bilinearAlignCorners(PtNDArray x, long height, long width) {
        try (IValue in = IValue.from(x);
                IValue size = IValue.listFrom(height, width);
                IValue out = IValueUtils.runMethod(module(), "bilinear_align_corners", in, size)) {
            return out.toTensor(x.getManager());
        }
    }

    /**
     * {@code scaled_dot_product_attention(q, k, v)} of (B, heads, N, d) arrays: softmax(q k^T /
     * sqrt(d)) v in one kernel.
     */
    public static PtNDArray attention(PtNDArray q, PtNDArray k, PtNDArray v) {
        try (IValue iq = IValue.from(q);
                IValue ik = IValue.from(k);
                IValue iv = IValue.from(v);
                IValue out = IValueUtils.runMethod(module(), "attention", iq, ik, iv)) {
            return out.toTensor(q.getManager());
        }
    }

    /** {@code group_norm(x, groups, weight, bias, eps)} of a (B, C, H, W) array. */
    public static PtNDArray groupNorm(
            PtNDArray x, int groups, PtNDArray weight, PtNDArray bias, float eps) {
        try (IValue ix = IValue.from(x);
                IValue ig = IValue.from((long) groups);
                IValue iw = IValue.from(weight);
                IValue ib = IValue.from(bias);
                IValue ie = IValue.from(decimal(eps));
                IValue out = IValueUtils.runMethod(module(), "group_norm", ix, ig, iw, ib, ie)) {
            return out.toTensor(x.getManager());
        }
    }

    /**
     * Each output channel's kernel of {@code w} (out, in, k, k) standardised to zero mean and unit
     * biased variance with {@code eps}, as timm's {@code StdConv2d} does with {@code batch_norm};
     * the result belongs to {@code like}'s manager.
     */
    public static PtNDArray standardized(PtNDArray w, float eps, PtNDArray like) {
        try (IValue iw = IValue.from(w);
                IValue ie = IValue.from(decimal(eps));
                IValue out = IValueUtils.runMethod(module(), "standardized", iw, ie)) {
            return out.toTensor(like.getManager());
        }
    }

    /**
     * The decimal a float eps was written as, as PyTorch holds it (1e-5f becomes 1e-5, not
     * 9.99999974738e-06).
     */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    private static PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m == null) {
            synchronized (TorchKernels.class) {
                m = module;
                if (m == null) {
                    NDManager owner = Engine.getEngine("PyTorch").newBaseManager();
                    try {
                        m =
                                JniUtils.loadModule(
                                        (PtNDManager) owner,
                                        new ByteArrayInputStream(archive()),
                                        false,
                                        false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    module = m;
                }
            }
        }
        return m;
    }

    /** The TorchScript archive: a zip of stored entries under one folder. */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "kernels/data.pkl", DATA);
            stored(zip, "kernels/code/__torch__.py", SOURCE.getBytes(StandardCharsets.UTF_8));
            stored(zip, "kernels/constants.pkl", CONSTANTS);
            stored(zip, "kernels/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(data);
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Pickle protocol 2: GLOBAL, NEWOBJ with no arguments, BUILD with a one-entry dict. */
    private static byte[] pickledModule() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.writeBytes("c__torch__\nKernels\n".getBytes(StandardCharsets.US_ASCII));
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x88); // NEWTRUE
        p.write('s'); // SETITEM
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }
}
