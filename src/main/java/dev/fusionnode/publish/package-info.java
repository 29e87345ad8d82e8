/**
 * Publishing segmented frames: one encoding per frame ({@link
 * dev.fusionnode.publish.FrameEncoderVerticle}, the last stage of the frame path, which returns the
 * frame's credit once the frame is encoded), fanned out over MQTT ({@code publish.mqtt}) and the
 * Foxglove WebSocket protocol ({@code publish.foxglove}). In lossless replay every segmented frame
 * is encoded; in live mode the encoder may skip a frame when it falls behind, and counts it.
 */
package dev.fusionnode.publish;
