package dev.fusionnode.ros;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.calib.Calibration;
import dev.fusionnode.calib.KannalaBrandtCamera;
import dev.fusionnode.calib.PinholeCamera;
import dev.fusionnode.calib.RigidTransform;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.PointCloud;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the node writes as ROS 2 messages reads back through its own decoder to the same values (the
 * npm decoders check the same messages in {@code Ros2RecordingIT}), and a bag's {@code
 * metadata.yaml} reads back what was written.
 */
class MessageEncoderTest {
    private static final long STAMP = 1_700_000_000_987_654_321L;

    @Test
    void imagesRoundTrip() {
        byte[] px = new byte[7 * 5 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        Image rgb = new Image(7, 5, 3, px);
        SensorMessages.Stamped<Image> back =
                SensorMessages.image(MessageEncoder.image(STAMP, "cam", rgb), "t");
        assertThat(back.stampNs()).isEqualTo(STAMP);
        assertThat(back.frameId()).isEqualTo("cam");
        assertThat(back.value().samePixels(rgb)).isTrue();
        Image mono = new Image(3, 2, 1, new byte[] {0, 1, 2, 3, 4, (byte) 200});
        Image monoBack = SensorMessages.image(MessageEncoder.image(STAMP, "m", mono), "t").value();
        assertThat(monoBack.channels()).isIn(1, 3);
        assertThat(monoBack.get(2, 1, 0) & 0xFF).isEqualTo(200);
    }

    @Test
    void pointCloudsRoundTrip() {
        float[] xyzi = {1.5f, -2f, 3f, 0.25f, 4f, 5f, -6f, 1f};
        SensorMessages.Stamped<PointCloud> back =
                SensorMessages.pointCloud(
                        MessageEncoder.pointCloud(STAMP, "lidar", new PointCloud(xyzi)), "t");
        assertThat(back.stampNs()).isEqualTo(STAMP);
        assertThat(back.frameId()).isEqualTo("lidar");
        float[] got = new float[8];
        back.value().buffer().get(got);
        assertThat(got).containsExactly(xyzi);
    }

    @Test
    void cameraInfosRoundTripBothModels() {
        for (var camera :
                List.of(
                        new PinholeCamera(700, 710, 600, 180, -0.1, 0.01, 0.001, -0.002, 0.0003),
                        new KannalaBrandtCamera(400, 401, 640, 360, 0.1, -0.02, 0.003, -0.0004))) {
            Calibration c = new Calibration(1280, 720, camera, RigidTransform.identity());
            SensorMessages.Stamped<SensorMessages.CameraIntrinsics> back =
                    SensorMessages.cameraInfo(MessageEncoder.cameraInfo(STAMP, "cam", c), "t");
            assertThat(back.value().width()).isEqualTo(1280);
            assertThat(back.value().height()).isEqualTo(720);
            assertThat(back.value().model()).isEqualTo(camera);
        }
    }

    @Test
    void transformsRoundTripThroughTheTree() {
        RigidTransform pose =
                TfTree.fromQuaternion(0.27, -0.08, -0.11, 0.5, -0.5, 0.5, -0.5)
                        .compose(RigidTransform.ofTranslation(1, 2, 3));
        List<TfTree.Edge> back =
                SensorMessages.tfMessage(
                        MessageEncoder.tf(STAMP, List.of(new TfTree.Edge("top", "front", pose))),
                        "t");
        assertThat(back).hasSize(1);
        assertThat(back.get(0).parent()).isEqualTo("top");
        assertThat(back.get(0).child()).isEqualTo("front");
        double[] a = pose.toArray();
        double[] b = back.get(0).parentFromChild().toArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i])
                    .as("element %d", i)
                    .isCloseTo(a[i], org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void metadataReadsBackWhatWasWritten(@TempDir Path dir) {
        BagMetadata.write(
                dir,
                "drive.mcap",
                "mcap",
                100,
                300,
                List.of(
                        new BagMetadata.TopicCount(
                                "/front/image_raw/compressed", RosSchemas.COMPRESSED_IMAGE, 3),
                        new BagMetadata.TopicCount("/tf_static", RosSchemas.TF, 1)));
        BagMetadata m = BagMetadata.read(dir.resolve(BagMetadata.FILE_NAME));
        assertThat(m.storage()).isEqualTo("mcap");
        assertThat(m.files()).containsExactly("drive.mcap");
    }
}
