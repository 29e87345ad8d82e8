package dev.fusionnode.ros;

/**
 * One message of a ROS 2 bag, its data left in the file until asked for.
 *
 * @param topic its topic
 * @param logTimeNs when it was recorded (the bag's receive time, not the header stamp)
 * @param sequence its number within the topic, from 0, as the bag gives it
 * @param part which file of a split bag holds it (0 for a bag of one file)
 * @param ref where its data lies in that file (the storage's own reference)
 */
public record BagMessage(String topic, long logTimeNs, long sequence, int part, long ref) {

    /** The same message, said to lie in file {@code part} of a split bag. */
    BagMessage inPart(int part) {
        return new BagMessage(topic, logTimeNs, sequence, part, ref);
    }
}
