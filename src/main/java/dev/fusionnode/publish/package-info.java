/**
 * Publishing segmented frames: one encoding per frame ({@link
 * dev.fusionnode.publish.FrameEncoderVerticle}), fanned out over MQTT ({@code publish.mqtt}) and
 * the Foxglove WebSocket protocol ({@code publish.foxglove}). Publishing is a side branch: it never
 * holds a frame's credit and drops (and counts) rather than slowing the pipeline.
 */
package dev.fusionnode.publish;
