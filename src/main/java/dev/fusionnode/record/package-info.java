/**
 * Recording what the node ingests as MCAP drives ({@code recordings/<drive>/drive.mcap}: camera as
 * {@code foxglove.CompressedImage}, LiDAR as {@code foxglove.PointCloud}, calibration as {@code
 * foxglove.CameraCalibration} plus the node's own calibration JSON, masks optional), and turning a
 * recorded drive back into frames for replay and export.
 */
package dev.fusionnode.record;
