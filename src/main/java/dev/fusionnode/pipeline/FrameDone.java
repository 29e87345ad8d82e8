package dev.fusionnode.pipeline;

/**
 * A camera frame admitted into the pipeline has finished (with a result or dropped), so its source
 * may admit another.
 *
 * @param sensorId camera id
 * @param seq the frame's sequence number
 * @param dropped true when it ended without a result
 */
public record FrameDone(String sensorId, long seq, boolean dropped) {}
