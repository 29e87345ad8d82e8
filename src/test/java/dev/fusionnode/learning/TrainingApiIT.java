package dev.fusionnode.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusionnode.io.ImageCodec;
import dev.fusionnode.node.NodeOptions;
import dev.fusionnode.node.NodeRuntime;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.testutil.Await;
import dev.fusionnode.testutil.Curl;
import dev.fusionnode.testutil.Curl.Reply;
import dev.fusionnode.testutil.NodeConfigs;
import dev.fusionnode.testutil.NodeHarness;
import dev.fusionnode.testutil.Peer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning API with curl as the client: multipart uploads (a good one stored, missing fields
 * and a mismatched annotation refused with 400), fine-tune refusals (too few frames, bad
 * parameters), unknown jobs and versions (404), and a job cancelled with DELETE.
 */
class TrainingApiIT {
    @TempDir Path dir;

    @Test
    void uploadsJobsAndRefusals() throws Exception {
        Peer.CURL.require();
        JsonObject json =
                NodeConfigs.node(NodeConfigs.microFusion())
                        .put("training", NodeConfigs.training(dir));
        NodeHarness node = NodeHarness.start(NodeOptions.fromJson(json, "test", Map.of()), true);
        NodeRuntime rt = node.runtime();
        try {
            String api = "http://127.0.0.1:" + rt.httpPort() + "/api";
            Path drive = Path.of("recordings/sample-drive");
            String name = "frame_000010.png";
            String cam = "camera=@" + drive.resolve("camera").resolve(name);
            String ann = "annotation=@" + drive.resolve("annotation_camera_only").resolve(name);
            String lidar = "lidar=@" + drive.resolve("lidar_png").resolve(name);

            Reply missing = Curl.json("-F", cam, api + "/annotations");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.body().getString("error")).contains("'annotation'");
            Reply wrong =
                    Curl.json(
                            "-F",
                            cam,
                            "-F",
                            "annotation=@" + drive.resolve("camera").resolve(name),
                            api + "/annotations");
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.body().getString("error")).contains("one channel");

            // frames a fine-tune could not use are refused, not stored (before, each was stored,
            // and a frame without lidar made every later fine-tune fail)
            Image annotation =
                    ImageCodec.read(
                            drive.resolve("annotation_camera_only").resolve(name),
                            ImageCodec.Channels.AS_STORED);
            byte[] px = new byte[annotation.pixels().capacity()];
            annotation.pixels().get(0, px);
            px[px.length / 2] = (byte) 200;
            Path ann200 = dir.resolve("ann200.png");
            Files.write(
                    ann200,
                    ImageCodec.encodePng(
                            new Image(annotation.width(), annotation.height(), 1, px)));
            Path annJpeg = dir.resolve("ann.jpg");
            Files.write(annJpeg, ImageCodec.encodeJpeg(annotation, 95));
            Path tiny = dir.resolve("tiny.png");
            Files.write(tiny, ImageCodec.encodePng(new Image(1, 1, 3, new byte[3])));
            Path giant = dir.resolve("giant.png");
            Files.write(giant, pngHeader(8000, 8000));
            Path tinyAnn = dir.resolve("tiny-ann.png");
            Files.write(tinyAnn, ImageCodec.encodePng(new Image(1, 1, 1, new byte[1])));
            for (String[] bad :
                    new String[][] {
                        {"annotation=@" + ann200, lidar, "class id 200"},
                        {"annotation=@" + annJpeg, lidar, "must be a PNG"},
                        {ann, null, "'lidar'"}
                    }) {
                List<String> args = new ArrayList<>(List.of("-F", cam, "-F", bad[0]));
                if (bad[1] != null) {
                    args.addAll(List.of("-F", bad[1]));
                }
                args.add(api + "/annotations");
                Reply r = Curl.json(args.toArray(String[]::new));
                assertThat(r.status()).as(bad[2]).isEqualTo(400);
                assertThat(r.body().getString("error")).as(bad[2]).contains(bad[2]);
            }
            Reply tinyFrame =
                    Curl.json(
                            "-F",
                            "camera=@" + tiny,
                            "-F",
                            "lidar=@" + tiny,
                            "-F",
                            "annotation=@" + tinyAnn,
                            api + "/annotations");
            assertThat(tinyFrame.status()).isEqualTo(400);
            assertThat(tinyFrame.body().getString("error")).contains("at least 64 pixels");
            // refused from the header, before 192 MB of pixels would be allocated
            Reply giantFrame =
                    Curl.json(
                            "-F", "camera=@" + giant, "-F", lidar, "-F", ann, api + "/annotations");
            assertThat(giantFrame.status()).isEqualTo(400);
            assertThat(giantFrame.body().getString("error")).contains("declares 8000x8000 pixels");
            assertThat(rt.training().orElseThrow().store().size()).isZero();

            Reply tooFew = Curl.json("-X", "POST", "-d", "{}", api + "/finetune");
            assertThat(tooFew.status()).isEqualTo(400);
            assertThat(tooFew.body().getString("error")).contains("the store has 0");

            for (int i = 0; i < 6; i++) {
                Reply ok = Curl.json("-F", cam, "-F", lidar, "-F", ann, api + "/annotations");
                assertThat(ok.status()).as(ok.body().encode()).isEqualTo(201);
                assertThat(ok.body().getInteger("frames")).isEqualTo(i + 1);
            }
            assertThat(Curl.json("-X", "POST", "-d", "{\"lr\": 5}", api + "/finetune").status())
                    .isEqualTo(400);
            assertThat(Curl.json("-X", "POST", "-d", "{\"epochs\": 0}", api + "/finetune").status())
                    .isEqualTo(400);
            assertThat(Curl.json("-X", "POST", "-d", "not json", api + "/finetune").status())
                    .isEqualTo(400);
            // strict parameters: wrong types, nulls, out-of-range integers and unknown keys are
            // 400 naming the key (before: 500, silently the default, or 3 epochs for 4294967299)
            for (String[] bad :
                    new String[][] {
                        {"{\"mode\": null}", "'mode' must be a string"},
                        {"{\"loss\": null}", "'loss' must be a string"},
                        {"{\"augment\": \"yes\"}", "'augment' must be true or false"},
                        {"{\"seed\": \"abc\"}", "'seed' must be an integer"},
                        {"{\"epochs\": 4294967299}", "epochs must be an integer in 1..1000"},
                        {"{\"lr\": \"1e-5\"}", "'lr' must be a number"},
                        {"{\"epoch\": 3}", "unknown fine-tune parameter 'epoch'"}
                    }) {
                Reply r = Curl.json("-X", "POST", "-d", bad[0], api + "/finetune");
                assertThat(r.status()).as(bad[0]).isEqualTo(400);
                assertThat(r.body().getString("error")).as(bad[0]).contains(bad[1]);
            }
            assertThat(Curl.json(api + "/finetune/nope").status()).isEqualTo(404);
            Reply noVersion =
                    Curl.json(
                            "-X",
                            "POST",
                            "-d",
                            "{\"version\": \"nope\"}",
                            api + "/models/activate");
            assertThat(noVersion.status()).isEqualTo(404);
            assertThat(noVersion.body().getString("error"))
                    .contains("no kept model version 'nope'");

            Reply job =
                    Curl.json(
                            "-X",
                            "POST",
                            "-d",
                            "{\"epochs\": 50, \"batchSize\": 2}",
                            api + "/finetune");
            assertThat(job.status()).isEqualTo(202);
            String id = job.body().getString("id");
            Await.until(
                    () ->
                            rt.training().orElseThrow().job(id).orElseThrow().state()
                                    == FineTuneJob.State.TRAINING,
                    60,
                    "training");
            // one trains, one may wait; a third is refused (20 at once were all accepted before)
            String more = "{\"epochs\": 50, \"batchSize\": 2}";
            Reply second = Curl.json("-X", "POST", "-d", more, api + "/finetune");
            assertThat(second.status()).as(second.body().encode()).isEqualTo(202);
            Reply third = Curl.json("-X", "POST", "-d", more, api + "/finetune");
            assertThat(third.status()).as(third.body().encode()).isEqualTo(429);
            assertThat(third.body().getString("error")).contains("at most 2");
            assertThat(
                            Curl.json(
                                            "-X",
                                            "DELETE",
                                            api + "/finetune/" + second.body().getString("id"))
                                    .status())
                    .isEqualTo(202);
            assertThat(Curl.json("-X", "DELETE", api + "/finetune/" + id).status()).isEqualTo(202);
            Await.until(
                    () -> rt.training().orElseThrow().job(id).orElseThrow().done(),
                    120,
                    "cancelled");
            Reply after = Curl.json(api + "/finetune/" + id);
            assertThat(after.body().getString("state")).isEqualTo("cancelled");
            assertThat(rt.inference().orElseThrow().current().model().version())
                    .isEqualTo("random-1");
        } finally {
            rt.close();
        }
    }

    /** A PNG that declares {@code w x h} RGB pixels and holds none (signature, IHDR, IEND). */
    private static byte[] pngHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13);
        int start = b.position();
        b.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h);
        b.put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(b.array(), start, 17);
        b.putInt((int) crc.getValue());
        b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII));
        crc.reset();
        crc.update("IEND".getBytes(StandardCharsets.US_ASCII));
        b.putInt((int) crc.getValue());
        return b.array();
    }
}
