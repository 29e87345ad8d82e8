/**
 * Pure LiDAR-to-camera projection, the CLFT LiDAR image encodings and the model-input resizing:
 * arithmetic on arrays, no Vert.x, shared by the projection stage, the dataset tools and training.
 */
package dev.fusionnode.geometry;
