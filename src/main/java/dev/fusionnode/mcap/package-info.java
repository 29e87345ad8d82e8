/** MCAP container reading and writing (the format of recorded drives). */
package dev.fusionnode.mcap;
