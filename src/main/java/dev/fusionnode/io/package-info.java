/** Decoders of files and datasets: images, NumPy pickles, KITTI scans, dataset layouts. */
package dev.fusionnode.io;
