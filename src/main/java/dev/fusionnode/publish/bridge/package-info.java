/**
 * The masks published back to ROS 2 through a {@code foxglove_bridge}'s client-publish capability,
 * as {@code sensor_msgs/msg/Image} {@code mono8}.
 */
package dev.fusionnode.publish.bridge;
