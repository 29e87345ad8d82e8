/**
 * How a recorded drive is written: the MCAP channels and Foxglove JSON schemas of camera, LiDAR and
 * calibration messages, shared by the recorder, the replay of MCAP drives and the Foxglove server.
 */
package dev.fusionnode.drive;
