package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds CLFT model inputs (clft-spec §7.1): Pillow-bilinear resize to a square, {@code / 255}, and
 * for RGB the per-dataset mean / std normalisation (LiDAR images are not normalised). Output is
 * float32 CHW.
 */
public final class ModelInputs {
    /** Input side of the CLFT models. */
    public static final int CLFT_SIZE = 384;

    /** ZOD RGB mean (AIM configs). */
    public static final float[] ZOD_MEAN = {0.325291f, 0.325736f, 0.331795f};

    /** ZOD RGB std (AIM configs). */
    public static final float[] ZOD_STD = {0.168061f, 0.179542f, 0.204609f};

    /** ImageNet mean (Iseauto and Waymo configs). */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

    /** ImageNet std. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private ModelInputs() {}

    /** RGB camera image to a normalised {@code 3 x size x size} tensor. */
    public static float[] rgb(Image image, int size, float[] mean, float[] std) {
        float[] out = new float[3 * size * size];
        PilResampler.toPlanar(requireRgb(image), size, size, table(mean, std), out, 0);
        return out;
    }

    /**
     * LiDAR image to a {@code 3 x size x size} tensor in [0, 1] (no normalisation, as the AIM
     * loader).
     */
    public static float[] lidar(Image image, int size) {
        float[] out = new float[3 * size * size];
        PilResampler.toPlanar(requireRgb(image), size, size, table(null, null), out, 0);
        return out;
    }

    /**
     * A frame's camera input and, when {@code lidar} is not null, its LiDAR input.
     *
     * @param rgb normalised camera input, {@code 3 x size x size}
     * @param lidar LiDAR input in [0, 1], or null
     */
    public record Pair(float[] rgb, float[] lidar) {}

    /** Pieces each image is cut into for {@link #pair}. */
    private static final int PIECES = 8;

    /**
     * The thread that makes the other share of {@link #pair}'s pieces: one daemon thread kept for
     * the process, so that its resampling buffers stay warm between frames (the common fork-join
     * pool erases its threads' thread-locals after every task, which made it allocate them afresh
     * each frame). A full queue rejects, and the calling thread then makes every piece itself.
     */
    private static final class Helper {
        static final Executor EXECUTOR =
                new ThreadPoolExecutor(
                        1,
                        1,
                        0,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(8),
                        r -> {
                            Thread t = new Thread(r, "fusion-inputs-helper");
                            t.setDaemon(true);
                            return t;
                        },
                        new ThreadPoolExecutor.AbortPolicy());
    }

    /** The executor {@link #pair} is meant for: one helper thread for the whole process. */
    public static Executor helperThread() {
        return Helper.EXECUTOR;
    }

    /**
     * {@link #rgb} and {@link #lidar} of one frame on two threads: each image is cut into pieces of
     * about equal work ({@link PilResampler#cuts}) that this thread and a task on {@code second}
     * take one at a time until none are left. This thread starts at once and never waits for {@code
     * second} to start (a busy or slow-waking executor costs time, never a stall); it waits only
     * for a piece the other thread is still making.
     */
    public static Pair pair(
            Image camera, Image lidar, int size, float[] mean, float[] std, Executor second) {
        return pair(
                camera,
                lidar,
                size,
                mean,
                std,
                second,
                new float[3 * size * size],
                lidar == null ? null : new float[3 * size * size]);
    }

    /**
     * {@link #pair(Image, Image, int, float[], float[], Executor)} into arrays the caller owns,
     * {@code 3 x size x size} floats each ({@code li} may be null when {@code lidar} is), every
     * value overwritten.
     */
    public static Pair pair(
            Image camera,
            Image lidar,
            int size,
            float[] mean,
            float[] std,
            Executor second,
            float[] rgb,
            float[] li) {
        requireRgb(camera);
        int length = 3 * size * size;
        if (rgb.length != length || (lidar != null && (li == null || li.length != length))) {
            throw new IllegalArgumentException(
                    "model input arrays must hold 3 x " + size + " x " + size + " floats");
        }
        if (lidar != null) {
            requireRgb(lidar);
        }
        // the images to resize, each with its table, output and cuts; the camera's pieces come
        // first and the LiDAR's, which cost less, last, so that the two threads end close together
        Image[] images = lidar == null ? new Image[] {camera} : new Image[] {camera, lidar};
        float[][][] tables = {table(mean, std), table(null, null)};
        float[][] outputs = {rgb, li};
        int[][] cuts = new int[images.length][];
        for (int k = 0; k < images.length; k++) {
            cuts[k] = PilResampler.cuts(images[k], size, PIECES);
        }
        int pieces = images.length * PIECES;
        AtomicInteger next = new AtomicInteger();
        CountDownLatch made = new CountDownLatch(pieces);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker =
                () -> {
                    for (int i; (i = next.getAndIncrement()) < pieces; ) {
                        int k = i / PIECES;
                        int piece = i % PIECES;
                        try {
                            PilResampler.toPlanar(
                                    images[k],
                                    size,
                                    size,
                                    tables[k],
                                    outputs[k],
                                    0,
                                    cuts[k][piece],
                                    cuts[k][piece + 1]);
                        } catch (RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            made.countDown(); // even after a failure: nobody waits forever
                        }
                    }
                };
        try {
            second.execute(worker);
        } catch (RejectedExecutionException e) {
            // this thread makes every piece
        }
        worker.run();
        try {
            made.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making model inputs", e);
        }
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) {
            throw e;
        } else if (failed != null) {
            throw (Error) failed;
        }
        return new Pair(rgb, li);
    }

    /**
     * What each 8-bit value becomes in channel {@code c}: {@code v / 255}, then {@code (x - mean) /
     * std} when normalised (the same float operations as {@link #referenceChw}).
     */
    static float[][] table(float[] mean, float[] std) {
        float[][] t = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int b = 0; b < 256; b++) {
                float v = b / 255f;
                t[c][b] = mean == null ? v : (v - mean[c]) / std[c];
            }
        }
        return t;
    }

    /**
     * The model input made the plain way (a resized image, then one value at a time): the reference
     * the fused path is checked and timed against.
     */
    public static float[] reference(Image image, int size, float[] mean, float[] std) {
        return referenceChw(PilBilinearResize.resize(requireRgb(image), size, size), mean, std);
    }

    private static Image requireRgb(Image image) {
        if (image.channels() != 3) {
            throw new IllegalArgumentException("expected a 3-channel image, got " + image);
        }
        return image;
    }

    private static float[] referenceChw(Image img, float[] mean, float[] std) {
        int plane = img.width() * img.height();
        float[] out = new float[plane * 3];
        ByteBuffer px = img.pixels();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (px.get(i * 3 + c) & 0xFF) / 255f;
                out[c * plane + i] = mean == null ? v : (v - mean[c]) / std[c];
            }
        }
        return out;
    }
}
