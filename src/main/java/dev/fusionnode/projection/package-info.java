/**
 * The projection stage: pairs of camera and LiDAR in, fused frames (camera plus LiDAR image) out.
 */
package dev.fusionnode.projection;
