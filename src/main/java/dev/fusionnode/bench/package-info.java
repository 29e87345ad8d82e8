/**
 * The {@code benchmark} commands: projection, velodyne, model, inference, publish and soak figures.
 */
package dev.fusionnode.bench;
