package dev.fusionnode.synth;

import java.util.Map;

/**
 * One generated frame, ready to write: its files (path relative to the dataset root, bytes) and
 * what the drive summary needs.
 *
 * @param index frame index in the drive
 * @param name frame name (the camera file's stem)
 * @param condition weather and light
 * @param splitLine the camera path relative to the dataset root
 * @param files files to write, in order
 * @param classPixels annotation pixels per class id of the profile
 * @param lidarPoints points in the frame's pickle
 * @param cameraTimeNs camera capture time
 * @param lidarTimeNs LiDAR capture time
 */
record SynthFrame(
        int index,
        String name,
        Condition condition,
        String splitLine,
        Map<String, byte[]> files,
        long[] classPixels,
        int lidarPoints,
        long cameraTimeNs,
        long lidarTimeNs) {

    /** The most frequent non-background class id, or 0 when the frame shows none. */
    int dominantClass(SynthProfile profile) {
        int best = 0;
        long most = 0;
        for (int id : profile.classIds()) {
            if (profile.className(id).equals("background")
                    || profile.className(id).equals("ignore")) {
                continue;
            }
            if (classPixels[id] > most) {
                most = classPixels[id];
                best = id;
            }
        }
        return best;
    }
}
