/** Synthetic drives and datasets (a ray-cast world) for demos and tests. */
package dev.fusionnode.synth;
