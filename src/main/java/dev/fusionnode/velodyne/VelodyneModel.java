package dev.fusionnode.velodyne;

import java.util.Locale;
import java.util.Optional;

/**
 * The Velodyne sensors whose data packets this node decodes, by the product id in the packet's last
 * byte, with their firing timing (from the sensors' manuals).
 */
public enum VelodyneModel {
    /** HDL-32E: 32 lasers fired one after the other, 1.152 us apart, 46.08 us per firing. */
    HDL_32E(0x21, "HDL-32E", 32, 0.002, 1, 1.152, 46.08),
    /** VLP-16 / Puck LITE: two firings of 16 lasers per block, 2.304 us apart, 55.296 us each. */
    VLP_16(0x22, "VLP-16", 16, 0.002, 2, 2.304, 55.296),
    /** Puck Hi-Res: timed as the VLP-16. */
    PUCK_HI_RES(0x24, "Puck Hi-Res", 16, 0.002, 2, 2.304, 55.296),
    /** VLP-32C: 32 lasers fired in pairs, 2.304 us apart, 55.296 us per firing; 4 mm units. */
    VLP_32C(0x28, "VLP-32C", 32, 0.004, 1, 2.304, 55.296);

    private final int productId;
    private final String displayName;
    private final int lasers;
    private final double distanceUnitM;
    private final int firingsPerBlock;
    private final double laserSpacingUs;
    private final double firingUs;

    VelodyneModel(
            int productId,
            String displayName,
            int lasers,
            double distanceUnitM,
            int firingsPerBlock,
            double laserSpacingUs,
            double firingUs) {
        this.productId = productId;
        this.displayName = displayName;
        this.lasers = lasers;
        this.distanceUnitM = distanceUnitM;
        this.firingsPerBlock = firingsPerBlock;
        this.laserSpacingUs = laserSpacingUs;
        this.firingUs = firingUs;
    }

    /** The model of a product id byte, if known. */
    public static Optional<VelodyneModel> ofProductId(int id) {
        for (VelodyneModel m : values()) {
            if (m.productId == id) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The model named in a config ({@code vlp16}, {@code VLP-32C}, {@code hdl32e}, ...).
     *
     * @throws IllegalArgumentException naming the known ones
     */
    public static VelodyneModel parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (VelodyneModel m : values()) {
            if (m.displayName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").equals(n)
                    || m.name().toLowerCase(Locale.ROOT).replace("_", "").equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "unknown Velodyne model '"
                        + name
                        + "'; known: HDL-32E, VLP-16, Puck Hi-Res, VLP-32C");
    }

    /** Product id byte. */
    public int productId() {
        return productId;
    }

    /** Name as Velodyne writes it. */
    public String displayName() {
        return displayName;
    }

    /** Lasers (channels). */
    public int lasers() {
        return lasers;
    }

    /** Metres per distance unit when the calibration does not say. */
    public double distanceUnitM() {
        return distanceUnitM;
    }

    /** Firing sequences in one 100-byte block (VLP-16: 2 sequences of 16 lasers). */
    public int firingsPerBlock() {
        return firingsPerBlock;
    }

    /**
     * Microseconds from the start of a block's firing to channel {@code c} of sequence {@code s}.
     */
    public double timeOffsetUs(int sequence, int laser) {
        int step = this == VLP_32C ? laser / 2 : laser;
        return sequence * firingUs + step * laserSpacingUs;
    }

    /** Microseconds between consecutive blocks (single return). */
    public double blockUs() {
        return firingsPerBlock * firingUs;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
