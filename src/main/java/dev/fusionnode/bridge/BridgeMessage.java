package dev.fusionnode.bridge;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.PointCloud;
import dev.fusionnode.ros.RosSchemas;
import dev.fusionnode.ros.SensorMessages;
import dev.fusionnode.ros.TfTree;
import dev.fusionnode.velodyne.VelodyneScanDecoder;
import java.util.List;

/** A message of a bridge subscription, decoded by what the subscription is for. */
sealed interface BridgeMessage {
    /** A camera image with its header. */
    record CameraImage(SensorMessages.Stamped<Image> image) implements BridgeMessage {}

    /** A LiDAR scan ({@code PointCloud2}, or a {@code VelodyneScan}'s packets decoded). */
    record Scan(PointCloud points, long stampNs, String frameId) implements BridgeMessage {}

    /** A camera's intrinsics. */
    record CameraInfo(SensorMessages.Stamped<SensorMessages.CameraIntrinsics> info)
            implements BridgeMessage {}

    /** Transforms of {@code /tf_static} ({@code isStatic}) or {@code /tf}. */
    record Transforms(List<TfTree.Edge> edges, boolean isStatic) implements BridgeMessage {}

    /**
     * Decodes a message of {@code s} (blocking work: image decoding).
     *
     * @throws BadInputException naming {@code origin} when it does not decode
     */
    static BridgeMessage decode(BridgeChannels.Subscription s, byte[] data, String origin) {
        String type = s.channel().type();
        return switch (s.role()) {
            case CAMERA ->
                    new CameraImage(
                            type.equals(RosSchemas.IMAGE)
                                    ? SensorMessages.image(data, origin)
                                    : SensorMessages.compressedImage(data, origin));
            case SCAN -> {
                var cloud = VelodyneScanDecoder.rosScan(type, data, origin);
                yield new Scan(cloud.value(), cloud.stampNs(), cloud.frameId());
            }
            case CAMERA_INFO -> new CameraInfo(SensorMessages.cameraInfo(data, origin));
            case TRANSFORMS ->
                    new Transforms(
                            SensorMessages.tfMessage(data, origin),
                            s.channel().topic().equals("/tf_static"));
        };
    }
}
