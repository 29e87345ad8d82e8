package dev.fusionnode.bench;

import dev.fusionnode.geometry.ModelInputs;
import dev.fusionnode.geometry.PilBilinearResize;
import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmarks of the two per-frame kernels that have a size goal: a frame's model inputs
 * (Pillow-exact resize of the sample drive's camera and LiDAR images at 1363x768 to 384x384) and
 * the mask PNG at 1363x768. Sample time, so JMH prints percentiles. Run from the repository root
 * (see docs/benchmarks.md for the command).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PreprocessAndMaskJmh {
    private static final Path FRAME = Path.of("recordings/sample-drive/camera/frame_000010.png");

    private Image camera;
    private Image lidar;
    private Image mask;
    private Image confidence;
    private Image projectedScan;
    private final float[] rgbOut = new float[3 * 384 * 384];
    private final float[] lidarOut = new float[3 * 384 * 384];

    /** Loads the sample frame, scaled to the dataset's 1363x768, and a mask of its annotation. */
    @Setup
    public void load() {
        camera =
                PilBilinearResize.resize(
                        ImageCodec.read(FRAME, ImageCodec.Channels.RGB), 1363, 768);
        lidar =
                PilBilinearResize.resize(
                        ImageCodec.read(
                                Path.of(FRAME.toString().replace("camera", "lidar_png")),
                                ImageCodec.Channels.RGB),
                        1363,
                        768);
        Image ann =
                ImageCodec.read(
                        Path.of(FRAME.toString().replace("camera", "annotation_camera_only")),
                        ImageCodec.Channels.AS_STORED);
        byte[] labels = ann.unsafePixels();
        byte[] px = new byte[1363 * 768];
        for (int y = 0; y < 768; y++) {
            for (int x = 0; x < 1363; x++) {
                int v = labels[(y * ann.height() / 768) * ann.width() + x * ann.width() / 1363];
                px[y * 1363 + x] = (byte) Math.min(3, v & 0xFF);
            }
        }
        mask = new Image(1363, 768, 1, px);
        confidence = PublishBenchmark.smoothConfidence(1363, 768);
        projectedScan =
                PreprocessBenchmark.projectedScan(
                                Path.of("data/kitti/velodyne/000000.bin"), 1363, 768)
                        .image();
    }

    /** The camera input alone, one thread. */
    @Benchmark
    public float[] cameraInputOneThread() {
        return ModelInputs.rgb(camera, 384, ModelInputs.ZOD_MEAN, ModelInputs.ZOD_STD);
    }

    /** The LiDAR input of a real scan (KITTI, projected at 1363x768) alone, one thread. */
    @Benchmark
    public float[] projectedScanInputOneThread() {
        return ModelInputs.lidar(projectedScan, 384);
    }

    /** Camera and LiDAR inputs one after the other on one thread. */
    @Benchmark
    public float[] bothInputsOneThread() {
        ModelInputs.rgb(camera, 384, ModelInputs.ZOD_MEAN, ModelInputs.ZOD_STD);
        return ModelInputs.lidar(lidar, 384);
    }

    /**
     * Camera and LiDAR inputs the node's way: pieces of both images on two cores, into arrays kept
     * from frame to frame (as the inference worker keeps them).
     */
    @Benchmark
    public ModelInputs.Pair bothInputsTwoCores() {
        return nodesWay(lidar);
    }

    /** The same with the LiDAR image of a real scan (KITTI, projected at 1363x768). */
    @Benchmark
    public ModelInputs.Pair bothInputsTwoCoresProjectedScan() {
        return nodesWay(projectedScan);
    }

    private ModelInputs.Pair nodesWay(Image lidarImage) {
        return ModelInputs.pair(
                camera,
                lidarImage,
                384,
                ModelInputs.ZOD_MEAN,
                ModelInputs.ZOD_STD,
                ModelInputs.helperThread(),
                rgbOut,
                lidarOut);
    }

    /** The mask PNG the node publishes (runs and copied rows, see RunDeflater). */
    @Benchmark
    public byte[] maskPng() {
        return ImageCodec.encodeMapPng(mask);
    }

    /** The same mask through OpenCV's PNG encoder (libpng), for comparison. */
    @Benchmark
    public byte[] maskPngOpenCv() {
        return ImageCodec.encodePng(mask);
    }

    /** The confidence PNG the node publishes (the JDK's zlib, unfiltered). */
    @Benchmark
    public byte[] confidencePng() {
        return ImageCodec.encodeMapPng(confidence);
    }

    /** The same confidence map through OpenCV's PNG encoder, for comparison. */
    @Benchmark
    public byte[] confidencePngOpenCv() {
        return ImageCodec.encodePng(confidence);
    }
}
