/**
 * Turning a recorded MCAP drive into a CLFT dataset folder (images, LiDAR pickles, split files).
 */
package dev.fusionnode.export;
