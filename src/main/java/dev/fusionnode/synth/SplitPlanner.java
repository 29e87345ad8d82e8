package dev.fusionnode.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Splits frames as the ZOD generator did (clft-spec §1.1): per condition, frames are grouped by
 * their dominant class, shuffled, and dealt 50/25/25 into train, validation and {@code
 * test_<condition>}.
 */
final class SplitPlanner {
    private SplitPlanner() {}

    /** Split file name to its lines, in file order: train, validation, test_*, all. */
    static Map<String, List<String>> plan(
            List<SynthFrame> frames, SynthProfile profile, long seed) {
        List<String> train = new ArrayList<>();
        List<String> validation = new ArrayList<>();
        Map<Condition, List<String>> tests = new TreeMap<>();
        Map<Condition, Map<Integer, List<SynthFrame>>> groups = new TreeMap<>();
        for (SynthFrame f : frames) {
            groups.computeIfAbsent(f.condition(), c -> new TreeMap<>())
                    .computeIfAbsent(f.dominantClass(profile), k -> new ArrayList<>())
                    .add(f);
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5B117L);
        for (var byCondition : groups.entrySet()) {
            List<String> test = tests.computeIfAbsent(byCondition.getKey(), c -> new ArrayList<>());
            for (List<SynthFrame> group : byCondition.getValue().values()) {
                List<SynthFrame> shuffled = new ArrayList<>(group);
                for (int i = shuffled.size() - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    SynthFrame t = shuffled.get(i);
                    shuffled.set(i, shuffled.get(j));
                    shuffled.set(j, t);
                }
                for (int i = 0; i < shuffled.size(); i++) {
                    String line = shuffled.get(i).splitLine();
                    switch (i % 4) {
                        case 0, 1 -> train.add(line);
                        case 2 -> validation.add(line);
                        default -> test.add(line);
                    }
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("train.txt", sorted(train));
        out.put("validation.txt", sorted(validation));
        tests.forEach((c, lines) -> out.put("test_" + c.id() + ".txt", sorted(lines)));
        out.put("all.txt", frames.stream().map(SynthFrame::splitLine).toList());
        return out;
    }

    private static List<String> sorted(List<String> lines) {
        List<String> s = new ArrayList<>(lines);
        s.sort(Comparator.naturalOrder());
        return s;
    }
}
