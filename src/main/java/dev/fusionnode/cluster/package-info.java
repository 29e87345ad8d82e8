/**
 * Scale-out on a clustered event bus: the ingest node forwards fused frames ({@link
 * FusedFrameWire}) to worker nodes, which infer and publish them and answer when each is done.
 */
package dev.fusionnode.cluster;
