package dev.fusionnode.velodyne;

/**
 * One laser's corrections, as in Velodyne's calibration databases (angles in radians, lengths in
 * metres); sines and cosines are kept for the decoder's inner loop.
 *
 * @param vertCorrection elevation of the beam
 * @param rotCorrection azimuth offset of the beam (subtracted from the block azimuth)
 * @param distCorrection distance offset
 * @param distCorrectionX two-point distance correction along x (HDL-64 style; 0 for the pucks)
 * @param distCorrectionY two-point distance correction along y
 * @param vertOffset vertical offset of the laser's origin
 * @param horizOffset horizontal offset of the laser's origin
 * @param focalDistance intensity focal distance (0: no intensity correction)
 * @param focalSlope intensity focal slope
 */
public record LaserCorrection(
        double vertCorrection,
        double rotCorrection,
        double distCorrection,
        double distCorrectionX,
        double distCorrectionY,
        double vertOffset,
        double horizOffset,
        double focalDistance,
        double focalSlope) {

    /** A beam with only an elevation and an azimuth offset, in degrees. */
    public static LaserCorrection ofAngles(double elevationDeg, double azimuthOffsetDeg) {
        return new LaserCorrection(
                Math.toRadians(elevationDeg),
                Math.toRadians(azimuthOffsetDeg),
                0,
                0,
                0,
                0,
                0,
                0,
                0);
    }

    /** True when the two-point distance correction applies. */
    boolean twoPoint() {
        return distCorrectionX != 0 || distCorrectionY != 0;
    }
}
