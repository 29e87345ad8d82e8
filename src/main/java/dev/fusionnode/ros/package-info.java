/**
 * ROS 2 data without ROS: the CDR encoding and the {@code sensor_msgs} messages a vehicle's bags
 * and topics carry, decoded into the node's images and point clouds.
 */
package dev.fusionnode.ros;
