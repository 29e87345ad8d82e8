package dev.fusionnode.velodyne;

/**
 * What one decoded data packet held.
 *
 * @param model sensor model (from the product id, or the configured one)
 * @param mode return mode
 * @param timestampUs microseconds past the hour of the packet's first firing
 * @param firstAzimuth azimuth of the first block, hundredths of a degree
 * @param lastAzimuth azimuth of the last block, hundredths of a degree
 * @param returns non-zero returns in the packet (before range limits and dual de-duplication)
 * @param points points passed on
 */
public record PacketInfo(
        VelodyneModel model,
        ReturnMode mode,
        long timestampUs,
        int firstAzimuth,
        int lastAzimuth,
        int returns,
        int points) {}
