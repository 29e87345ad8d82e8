package dev.fusionnode.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.fusionnode.model.nn.Ops;
import dev.fusionnode.model.nn.TorchStyleBlock;

/**
 * One fusion stage (clft-spec §3.3): S = RCU_rgb(R) + RCU_xyz(L) + previous (an inactive modality
 * contributes nothing), output = bilinear x2 (align_corners) of RCU_2(S).
 */
final class FusionStage extends TorchStyleBlock {
    private final ResidualConvUnit resConvXyz;
    private final ResidualConvUnit resConvRgb;
    private final ResidualConvUnit resConv2;

    FusionStage(int channels) {
        resConvXyz = child("res_conv_xyz", new ResidualConvUnit(channels));
        resConvRgb = child("res_conv_rgb", new ResidualConvUnit(channels));
        resConv2 = child("res_conv2", new ResidualConvUnit(channels));
    }

    /**
     * @param rgb reassembled RGB features, or null when the RGB path is off
     * @param lidar reassembled LiDAR features, or null when the LiDAR path is off
     * @param previous the deeper stage's output, or null for the first stage
     */
    NDArray forward(
            ParameterStore ps, NDArray rgb, NDArray lidar, NDArray previous, boolean training) {
        NDArray sum = null;
        if (lidar != null) {
            sum = resConvXyz.forward(ps, lidar, training);
        }
        if (rgb != null) {
            NDArray r = resConvRgb.forward(ps, rgb, training);
            if (sum == null) {
                sum = r;
            } else {
                NDArray both = sum.add(r);
                release(training, sum, r);
                sum = both;
            }
        }
        if (sum == null) {
            throw new IllegalArgumentException("a fusion stage needs RGB or LiDAR features");
        }
        if (previous != null) {
            NDArray withPrevious = sum.add(previous);
            release(training, sum);
            sum = withPrevious;
        }
        NDArray refined = resConv2.forward(ps, sum, training);
        release(training, sum);
        NDArray out = Ops.upsample2x(refined, training);
        release(training, refined);
        return out;
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        throw new UnsupportedOperationException("a fusion stage takes RGB, LiDAR and previous");
    }
}
