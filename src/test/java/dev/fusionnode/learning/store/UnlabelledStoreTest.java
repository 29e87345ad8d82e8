package dev.fusionnode.learning.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.pipeline.Image;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unlabelled-frame store: commit by meta file, index rebuilt on open, bound, removal. */
class UnlabelledStoreTest {
    @TempDir Path dir;

    private static Image camera(int i) {
        return ImageCodec.read(
                Path.of("recordings/sample-drive/camera", String.format("frame_%06d.png", i)),
                ImageCodec.Channels.RGB);
    }

    @Test
    void keepsFramesByReasonRebuildsAndBounds() throws Exception {
        UnlabelledStore s = UnlabelledStore.open(dir, Long.MAX_VALUE);
        Image lidar =
                ImageCodec.read(
                        Path.of("recordings/sample-drive/lidar_png/frame_000000.png"),
                        ImageCodec.Channels.RGB);
        long hard =
                s.add(
                        camera(0),
                        Optional.of(lidar),
                        new JsonObject().put("reason", "hard").put("unfamiliarity", 0.2));
        long sampled =
                s.add(camera(1), Optional.empty(), new JsonObject().put("reason", "sampled"));
        assertThat(s.size(UnlabelledStore.HARD)).isEqualTo(1);
        assertThat(s.oldest(UnlabelledStore.SAMPLED).orElseThrow().id()).isEqualTo(sampled);
        assertThat(s.find(hard).orElseThrow().lidar()).isPresent();
        assertThat(s.find(hard).orElseThrow().meta().getDouble("unfamiliarity")).isEqualTo(0.2);

        // an add that died before its meta (the commit mark): removed on open, id not reused
        Files.write(dir.resolve("camera/frame_000000007.png"), new byte[] {1, 2, 3});
        UnlabelledStore again = UnlabelledStore.open(dir, Long.MAX_VALUE);
        assertThat(again.size()).isEqualTo(2);
        assertThat(dir.resolve("camera/frame_000000007.png")).doesNotExist();
        assertThat(again.add(camera(2), Optional.empty(), new JsonObject().put("reason", "hard")))
                .isEqualTo(8);

        assertThat(again.remove(hard)).isTrue();
        assertThat(again.remove(hard)).isFalse();
        assertThat(dir.resolve(String.format("meta/frame_%09d.json", hard))).doesNotExist();

        long per = again.bytes() / again.size();
        UnlabelledStore bounded = UnlabelledStore.open(dir, per * 2 + per / 2);
        bounded.add(camera(3), Optional.empty(), new JsonObject().put("reason", "sampled"));
        assertThat(bounded.size()).as("oldest evicted beyond the bound").isEqualTo(2);
        assertThat(bounded.evicted()).isEqualTo(1);
        assertThat(bounded.find(sampled)).isEmpty();
    }

    /**
     * A source frame is kept once per model version: the same camera image under the same model is
     * refused, also after it was removed and after reopening; another model version keeps it.
     */
    @Test
    void keepsASourceFrameOncePerModelVersion() throws Exception {
        UnlabelledStore s = UnlabelledStore.open(dir, Long.MAX_VALUE);
        JsonObject v1 =
                new JsonObject()
                        .put("reason", "hard")
                        .put("camera", "front")
                        .put("modelVersion", "v1");
        Optional<Long> first = s.addIfNew(camera(8), Optional.empty(), v1);
        assertThat(first).isPresent();
        assertThat(s.addIfNew(camera(8), Optional.empty(), v1)).as("same frame again").isEmpty();
        assertThat(s.addIfNew(camera(9), Optional.empty(), v1)).as("another frame").isPresent();
        assertThat(s.addIfNew(camera(8), Optional.empty(), v1.copy().put("modelVersion", "v2")))
                .as("the same frame under another model")
                .isPresent();
        assertThat(s.size()).isEqualTo(3);

        UnlabelledStore reopened = UnlabelledStore.open(dir, Long.MAX_VALUE);
        assertThat(reopened.addIfNew(camera(8), Optional.empty(), v1))
                .as("after reopening")
                .isEmpty();
        assertThat(reopened.remove(first.get())).isTrue(); // labelled by a person
        assertThat(reopened.addIfNew(camera(8), Optional.empty(), v1))
                .as("after removal")
                .isEmpty();
        assertThat(reopened.size()).isEqualTo(2);
    }
}
