package dev.fusionnode.replay;

import dev.fusionnode.pipeline.NodeMetrics;

/**
 * What a playlist plays: a dataset split ({@link ReplayDrive}), a recorded MCAP drive, or a dataset
 * seen through a rig ({@link RigDataset}), or a ROS 2 bag ({@link Ros2BagDrive}).
 */
public sealed interface DriveSource permits ReplayDrive, McapDrive, RigDataset, Ros2BagDrive {
    /** Drive name. */
    String name();

    /** Frames in one pass. */
    int frames();

    /** What kind of drive it is, for logs (the dataset layout, or {@code mcap}). */
    String kind();

    /** A loader of its frames (blocking: call on a worker). */
    FrameSource open(NodeMetrics metrics);
}
