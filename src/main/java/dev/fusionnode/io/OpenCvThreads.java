package dev.fusionnode.io;

import org.bytedeco.opencv.global.opencv_core;

/**
 * Keeps OpenCV's functions on their caller's thread. OpenCV would otherwise split a large image
 * operation (a colour conversion) over a pool of its own, one thread a core, whose workers spin a
 * while after each job: on an onboard computer those are the cores the node's stages (the frame
 * encoder, the publishers, libtorch) need, and the node's parallelism is its stages already.
 */
public final class OpenCvThreads {
    private OpenCvThreads() {}

    /** Sets OpenCV to one thread, the caller's (a cheap call; repeating it changes nothing). */
    public static void callerOnly() {
        opencv_core.setNumThreads(1);
    }
}
