package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.fusionnode.model.nn.IndexedBlocks;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * The Camera-LiDAR Fusion Transformer (clft-spec §3) as a DJL block whose parameter tree is the
 * paper's {@code state_dict} ({@code transformer_encoders}, {@code reassembles_RGB}, {@code
 * reassembles_XYZ}, {@code fusions}, {@code head_segmentation}; see {@link StateDictNames}).
 *
 * <p>Input: {@code NDList(rgb, lidar)}, each (B, 3, S, S) float32 (a single array is taken as
 * both). Output: {@code NDList(logits)} (B, C, S, S). AIM semantics (§3.5): {@code rgb} runs the
 * encoder on RGB, {@code lidar} on LiDAR, {@code cross_fusion} runs the same encoder on both (as
 * one batch of 2B) and sums the paths stage by stage, deepest first.
 */
public final class ClftBlock extends TorchStyleBlock {
    private final ClftSpec spec;
    private final VisionTransformer encoder;
    private final IndexedBlocks<Reassemble> reassemblesRgb;
    private final IndexedBlocks<Reassemble> reassemblesXyz;
    private final IndexedBlocks<FusionStage> fusions;
    private final SegmentationHead head;

    /** Builds the block tree for {@code spec} (parameters uninitialised). */
    public ClftBlock(ClftSpec spec) {
        this.spec = spec;
        encoder = child("transformer_encoders", new VisionTransformer(spec));
        reassemblesRgb = child("reassembles_RGB", new IndexedBlocks<>());
        reassemblesXyz = child("reassembles_XYZ", new IndexedBlocks<>());
        fusions = child("fusions", new IndexedBlocks<>());
        for (int factor : spec.reassembles()) {
            reassemblesRgb.add(new Reassemble(spec, factor));
            reassemblesXyz.add(new Reassemble(spec, factor));
            fusions.add(new FusionStage(spec.resampleDim()));
        }
        head = child("head_segmentation", new SegmentationHead(spec.resampleDim(), spec.classes()));
    }

    /** The structure this block was built for. */
    public ClftSpec spec() {
        return spec;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray rgb = inputs.get(0);
        NDArray lidar = inputs.size() > 1 ? inputs.get(1) : rgb;
        return new NDList(logits(ps, rgb, lidar, training));
    }

    private NDArray logits(ParameterStore ps, NDArray rgb, NDArray lidar, boolean training) {
        ClftMode mode = spec.mode();
        NDList rgbTokens = null;
        NDList lidarTokens = null;
        if (mode == ClftMode.CROSS_FUSION) {
            long b = rgb.getShape().get(0);
            NDList both = encoder.hooked(ps, rgb.concat(lidar, 0), training);
            rgbTokens = new NDList();
            lidarTokens = new NDList();
            for (NDArray t : both) {
                rgbTokens.add(t.get("0:" + b));
                lidarTokens.add(t.get(b + ":"));
            }
        } else if (mode == ClftMode.RGB) {
            rgbTokens = encoder.hooked(ps, rgb, training);
        } else {
            lidarTokens = encoder.hooked(ps, lidar, training);
        }
        NDArray previous = null;
        for (int i = fusions.size() - 1; i >= 0; i--) {
            NDArray r =
                    rgbTokens == null
                            ? null
                            : reassemblesRgb.get(i).forward(ps, rgbTokens.get(i), training);
            NDArray l =
                    lidarTokens == null
                            ? null
                            : reassemblesXyz.get(i).forward(ps, lidarTokens.get(i), training);
            NDArray fused = fusions.get(i).forward(ps, r, l, previous, training);
            release(training, r, l, previous);
            previous = fused;
        }
        NDArray logits = head.forward(ps, previous, training);
        release(training, previous);
        return logits;
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        return logits(ps, x, x, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), spec.classes(), in.get(2), in.get(3))};
    }
}
