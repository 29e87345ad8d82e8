/**
 * The sync stage: camera and LiDAR messages paired by time ({@link
 * dev.fusionnode.sync.TimeSynchronizer}, pure) inside {@link dev.fusionnode.sync.SyncVerticle}.
 */
package dev.fusionnode.sync;
