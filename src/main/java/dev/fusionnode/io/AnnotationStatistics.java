package dev.fusionnode.io;

import dev.fusionnode.pipeline.BadInputException;
import dev.fusionnode.pipeline.BadInputReason;
import dev.fusionnode.pipeline.Image;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Per-class pixel counts of a dataset's annotation PNGs, for each split file at the dataset root:
 * how rare the small classes are, split by split. Each annotation is decoded once even when several
 * splits list it.
 */
public final class AnnotationStatistics {
    /** Ids counted; larger ids in an annotation are counted under {@link #OTHER}. */
    public static final int MAX_ID = 255;

    /** Index of the bucket for ids the layout does not name. */
    public static final int OTHER = MAX_ID + 1;

    /**
     * Counts of one split file.
     *
     * @param split file name, e.g. {@code train.txt}
     * @param frames lines in the file
     * @param missing lines whose annotation file does not exist
     * @param pixels pixels per annotation id (index {@link #OTHER}: ids above {@link #MAX_ID},
     *     never used by 8-bit PNGs but kept for safety)
     */
    public record SplitCounts(String split, int frames, int missing, long[] pixels) {
        /** Sum over all ids. */
        public long total() {
            return Arrays.stream(pixels).sum();
        }

        /** Share of id {@code id} in percent (0 when nothing was counted). */
        public double percent(int id) {
            long t = total();
            return t == 0 ? 0 : 100.0 * pixels[id] / t;
        }
    }

    private final Path root;
    private final DatasetLayout layout;
    private final String annotationPath;
    private final Map<String, long[]> byLine = new HashMap<>();

    /**
     * @param root dataset root holding the split files
     * @param layout layout of the split lines
     * @param annotationPath annotation folder (null: the layout's default)
     */
    public AnnotationStatistics(Path root, DatasetLayout layout, String annotationPath) {
        this.root = root;
        this.layout = layout;
        this.annotationPath =
                annotationPath == null ? layout.defaultAnnotationPath() : annotationPath;
    }

    /** The annotation folder counted. */
    public String annotationPath() {
        return annotationPath;
    }

    /**
     * The split files at {@code root}: {@code *.txt} whose first line looks like a frame path, with
     * {@code all.txt} first if present, then by name.
     */
    public static List<Path> splitFiles(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".txt"))
                    .filter(Files::isRegularFile)
                    .filter(AnnotationStatistics::looksLikeSplit)
                    .sorted(
                            Comparator.comparing(
                                            (Path p) ->
                                                    !p.getFileName().toString().equals("all.txt"))
                                    .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static boolean looksLikeSplit(Path p) {
        try {
            List<String> lines = SplitFile.read(p);
            return !lines.isEmpty() && lines.get(0).matches("[^\\s]+\\.(png|jpg|jpeg)");
        } catch (BadInputException e) {
            return false;
        }
    }

    /**
     * Counts the annotations a split file lists.
     *
     * @throws BadInputException if a line is malformed or an annotation cannot be decoded
     */
    public SplitCounts count(Path splitFile) {
        List<String> lines = SplitFile.read(splitFile);
        long[] sum = new long[OTHER + 1];
        int missing = 0;
        for (int i = 0; i < lines.size(); i++) {
            long[] c = byLine.get(lines.get(i));
            if (c == null) {
                DatasetFrame f =
                        layout.resolve(root, lines.get(i), annotationPath, i, splitFile.toString());
                if (f.annotation().isEmpty()) {
                    missing++;
                    continue;
                }
                c = histogram(f.annotation().get());
                byLine.put(lines.get(i), c);
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] += c[k];
            }
        }
        return new SplitCounts(splitFile.getFileName().toString(), lines.size(), missing, sum);
    }

    /** Counts every split file at the root ({@link #splitFiles}). */
    public List<SplitCounts> countAll() {
        List<SplitCounts> out = new ArrayList<>();
        for (Path p : splitFiles(root)) {
            out.add(count(p));
        }
        return out;
    }

    private static long[] histogram(Path annotation) {
        Image img = ImageCodec.read(annotation, ImageCodec.Channels.AS_STORED);
        if (img.channels() != 1) {
            throw new BadInputException(
                    BadInputReason.CORRUPT_IMAGE,
                    annotation.toString(),
                    "an annotation must be a single-channel class-id image, this one has "
                            + img.channels()
                            + " channels");
        }
        long[] c = new long[OTHER + 1];
        ByteBuffer px = img.pixels();
        for (int i = 0; i < px.capacity(); i++) {
            c[px.get(i) & 0xFF]++;
        }
        return c;
    }
}
