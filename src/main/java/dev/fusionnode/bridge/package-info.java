/**
 * Live ROS 2 topics through a {@code foxglove_bridge} (or any server of the Foxglove WebSocket
 * protocol) on the vehicle: the node connects as a client, subscribes to the mapped camera and
 * LiDAR topics, and feeds their CDR messages into the pipeline.
 */
package dev.fusionnode.bridge;
