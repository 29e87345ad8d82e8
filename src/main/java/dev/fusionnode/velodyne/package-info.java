/**
 * Velodyne LiDAR input: data-packet decoding (VLP-16, Puck Hi-Res, VLP-32C, HDL-32E; strongest,
 * last and dual returns), per-laser calibration, scans cut at the azimuth wrap or a set angle, time
 * from the packets (with the hour from the position packet's NMEA sentence or the host clock), and
 * the UDP source verticle.
 */
package dev.fusionnode.velodyne;
