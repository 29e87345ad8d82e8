package dev.fusionnode.geometry;

import dev.fusionnode.pipeline.Image;

/**
 * A CLFT LiDAR image and how many points were written into it (before last-point-wins collisions).
 *
 * @param image 3-channel uint8 image in RGB order as the CLFT loader reads it
 * @param pointsLanded points whose pixel fell inside the image
 */
public record EncodedLidar(Image image, int pointsLanded) {}
