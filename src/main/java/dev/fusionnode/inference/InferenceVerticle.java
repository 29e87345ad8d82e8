package dev.fusionnode.inference;

import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import dev.fusionnode.config.EnumNames;
import dev.fusionnode.model.ClftSample;
import dev.fusionnode.model.SegmentationOutput;
import dev.fusionnode.pipeline.Addresses;
import dev.fusionnode.pipeline.CreditStage;
import dev.fusionnode.pipeline.DropReason;
import dev.fusionnode.pipeline.Fault;
import dev.fusionnode.pipeline.FrameEnd;
import dev.fusionnode.pipeline.FusedFrame;
import dev.fusionnode.pipeline.Image;
import dev.fusionnode.pipeline.NodeMetrics;
import dev.fusionnode.pipeline.RateMeter;
import dev.fusionnode.pipeline.SegmentedFrame;
import dev.fusionnode.pipeline.Stage;
import dev.fusionnode.pipeline.StatusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference stage: fused frames are batched by size and delay ({@link BatchQueue}) and run on
 * dedicated worker threads, each with its own DJL predictor warmed for every batch size; the
 * workers publish masks on the event bus as {@link SegmentedFrame}s. Flow control is the
 * pipeline's: sources admit at most {@code pipeline.maxInFlight} frames (lossless replay waits for
 * credits, live sources drop their oldest), so the queue here never grows beyond that. A failed
 * batch drops its frames with reason {@code inference_error} and the stage keeps serving. The model
 * can be swapped between batches ({@link #swap}).
 */
public final class InferenceVerticle extends Stage implements ServingControl {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);

    private record Pending(FusedFrame frame, long arrivalNanos) {}

    private final InferenceOptions options;
    private final Callable<ServedModel> loader;
    private final BatchQueue<Pending> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final TorchThreadGovernor threads;
    private final RateMeter rate = new RateMeter();
    private volatile ModelSlot slot;
    private volatile ThreadPinning pinning;
    private Context context;
    private final LongAdder frames = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private long failedBatches;
    private volatile double lastForwardMs;

    /**
     * @param options batching, workers
     * @param loader loads the first model (called on a worker thread)
     * @param metrics pipeline metrics
     * @param status live status sections
     */
    public InferenceVerticle(
            InferenceOptions options,
            Callable<ServedModel> loader,
            NodeMetrics metrics,
            StatusRegistry status) {
        super("inference", metrics, status);
        this.options = options;
        this.loader = loader;
        this.queue =
                new BatchQueue<>(
                        options.batchPolicy(),
                        System::nanoTime,
                        p -> p.frame().camera().sensorId(),
                        p -> p.frame().camera().captureTimeNs());
        if (options.spins()) {
            queue.spinning();
        }
        int cores = Runtime.getRuntime().availableProcessors();
        this.threads = new TorchThreadGovernor(cores, options.effectiveThreads(cores));
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> startStage() {
        context = vertx.getOrCreateContext();
        return vertx.executeBlocking(
                        () -> {
                            if (!options.cpus().isEmpty()) {
                                pinning = ThreadPinning.reserve(options.cpus());
                            }
                            return loader.call();
                        },
                        false)
                .compose(
                        model -> {
                            slot = new ModelSlot(model);
                            LOG.info(
                                    "serving CLFT {} ({} {}, {} parameters) on {}; batches of up to"
                                            + " {} within {} ms, {} worker(s) ({} while idle)",
                                    model.model().version(),
                                    model.model().spec().backbone().timmName(),
                                    model.model().spec().mode().id(),
                                    model.model().parameterCount(),
                                    model.model().device(),
                                    options.maxBatch(),
                                    options.maxDelayMs(),
                                    options.workers(),
                                    options.spins() ? "spinning" : "parked");
                            List<Future<Void>> warmed = new ArrayList<>();
                            for (int i = 0; i < options.workers(); i++) {
                                Promise<Void> ready = Promise.promise();
                                warmed.add(ready.future());
                                Thread t =
                                        new Thread(() -> workLoop(ready), "fusion-inference-" + i);
                                t.setDaemon(true);
                                workers.add(t);
                                t.start();
                            }
                            return Future.all(warmed);
                        })
                .onFailure(e -> releaseCpus())
                .onSuccess(
                        v -> {
                            vertx.eventBus()
                                    .<FusedFrame>localConsumer(
                                            Addresses.FUSED, m -> onFused(m.body()));
                        });
    }

    /** {@inheritDoc} */
    @Override
    public void swap(ServedModel next) {
        slot.swap(next);
        LOG.info("model {} is now in service", next.model().version());
    }

    /** {@inheritDoc} */
    @Override
    public ServedModel acquire() {
        return slot.acquire();
    }

    /** {@inheritDoc} */
    @Override
    public int backlog() {
        return queue.size();
    }

    /** {@inheritDoc} */
    @Override
    public boolean awaitNoBacklog(Duration max) throws InterruptedException {
        return queue.awaitEmpty(max.toNanos());
    }

    /** The model in service. */
    public ServedModel current() {
        return slot.current();
    }

    /** The model in service, or empty while the stage is still loading it. */
    public Optional<ServedModel> served() {
        ModelSlot s = slot;
        return s == null ? Optional.empty() : Optional.of(s.current());
    }

    private void releaseCpus() {
        ThreadPinning p = pinning;
        if (p != null) {
            pinning = null;
            p.release();
        }
    }

    private void onFused(FusedFrame f) {
        queue.put(new Pending(f, System.nanoTime()));
    }

    private void workLoop(Promise<Void> ready) {
        ServedModel model = null;
        Predictor<ClftSample, SegmentationOutput> predictor = null;
        InputBuffers buffers = new InputBuffers();
        try {
            if (pinning != null) {
                pinning.pinCurrentThread();
            }
            // libtorch's grad mode is per thread and on in new threads: inference records no graph
            JniUtils.setGradMode(false);
            model = slot.acquire();
            predictor = model.model().newPredictor(false);
            warm(model, predictor);
            context.runOnContext(v -> ready.tryComplete());
            while (true) {
                BatchAssembler.Poll<Pending> poll = queue.take();
                if (poll.batch().isEmpty()) {
                    return;
                }
                if (slot.current() != model) {
                    predictor.close();
                    model.release();
                    model = slot.acquire();
                    predictor = model.model().newPredictor(false);
                }
                run(poll, model, predictor, buffers);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error | TranslateException e) {
            LOG.error("inference worker could not start: {}", e.toString(), e);
            context.runOnContext(v -> ready.tryFail(e));
        } finally {
            if (predictor != null) {
                predictor.close();
            }
            if (model != null) {
                model.release();
            }
        }
    }

    /** One forward per batch size used, so that no frame pays for libtorch's first run. */
    private void warm(ServedModel model, Predictor<ClftSample, SegmentationOutput> predictor)
            throws TranslateException {
        int s = model.model().spec().imageSize();
        ClftSample zero =
                new ClftSample(
                        new float[3 * s * s],
                        model.model().spec().mode().usesLidar() ? new float[3 * s * s] : null,
                        s);
        long t0 = System.nanoTime();
        for (int b = 1; b <= options.maxBatch(); b++) {
            predictor.batchPredict(Collections.nCopies(b, zero));
        }
        LOG.info(
                "{} warmed for batch sizes 1..{} in {} ms",
                Thread.currentThread().getName(),
                options.maxBatch(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void run(
            BatchAssembler.Poll<Pending> poll,
            ServedModel model,
            Predictor<ClftSample, SegmentationOutput> predictor,
            InputBuffers buffers) {
        List<Pending> batch = poll.batch();
        long t0 = System.nanoTime();
        try {
            List<ClftSample> samples = new ArrayList<>(batch.size());
            int size = model.model().spec().imageSize();
            int length = 3 * size * size;
            boolean lidar = model.model().spec().mode().usesLidar();
            for (int k = 0; k < batch.size(); k++) {
                // the arrays are free again once the previous batch's forward has returned
                samples.add(
                        model.preprocessor()
                                .sample(
                                        batch.get(k).frame(),
                                        buffers.rgb(k, length),
                                        lidar ? buffers.lidar(k, length) : null));
            }
            long t1 = System.nanoTime();
            threads.beforeForward();
            List<SegmentationOutput> out = predictor.batchPredict(samples);
            long t2 = System.nanoTime();
            List<Image> masks = new ArrayList<>(batch.size());
            List<Image> confidences = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                var img = batch.get(i).frame().camera().image();
                SegmentationOutput o = out.get(i);
                masks.add(MaskResize.nearest(o.mask(), o.size(), img.width(), img.height()));
                confidences.add(
                        MaskResize.nearest(o.confidence(), o.size(), img.width(), img.height()));
            }
            long t3 = System.nanoTime();
            List<SegmentedFrame> results = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                results.add(
                        new SegmentedFrame(
                                batch.get(i).frame(),
                                masks.get(i),
                                confidences.get(i),
                                out.get(i).lowConfidenceFraction(options.lowConfidence()),
                                model.model().version(),
                                batch.size(),
                                batch.get(i).arrivalNanos() - batch.get(i).frame().ingestNanoTime(),
                                t0 - batch.get(i).arrivalNanos(),
                                t1 - t0,
                                t2 - t1,
                                t3 - t2));
            }
            lastForwardMs = (t2 - t1) / 1e6;
            metrics.inferenceBatch(batch.size(), poll.oldestWaitNanos(), t1 - t0, t2 - t1, t3 - t2);
            batches.increment();
            // published from this thread: the bus hands each mask straight to its consumers'
            // contexts, one thread hop fewer than through this verticle's event loop
            for (SegmentedFrame r : results) {
                metrics.unfamiliarity(r.unfamiliarity());
                frames.increment();
                rate.mark();
                vertx.eventBus().publish(Addresses.SEGMENTED, r);
            }
        } catch (TranslateException | RuntimeException e) {
            LOG.error(
                    "inference failed on a batch of {} frames (first seq {}): {}",
                    batch.size(),
                    batch.get(0).frame().camera().seq(),
                    e.toString(),
                    e);
            context.runOnContext(
                    v -> {
                        failedBatches++;
                        metrics.fault(Fault.INFERENCE_FAILED);
                        for (Pending p : batch) {
                            CreditStage.end(
                                    vertx.eventBus(),
                                    FrameEnd.dropped(
                                            p.frame().camera(), DropReason.INFERENCE_ERROR));
                        }
                    });
        }
    }

    /** {@inheritDoc} */
    @Override
    protected Supplier<Number> queueDepth() {
        return queue::size;
    }

    /** {@inheritDoc} */
    @Override
    protected JsonObject statusJson() {
        ModelSlot loaded = slot;
        if (loaded == null) {
            return new JsonObject().put("state", "loading");
        }
        ServedModel m = loaded.current();
        return new JsonObject()
                .put("model", m.model().version())
                .put("backbone", m.model().spec().backbone().timmName())
                .put("mode", m.model().spec().mode().id())
                .put("device", m.model().device().toString())
                .put("frames", frames.sum())
                .put("batches", batches.sum())
                .put("failedBatches", failedBatches)
                .put("meanBatch", meanBatch())
                .put("fps", rate.perSecond())
                .put("queueDepth", queue.size())
                .put("lastForwardMs", lastForwardMs)
                .put("torchThreads", threads.threads())
                .put("idle", EnumNames.name(options.idle()))
                .put("cpus", pinning == null ? null : pinning.reserved().toString());
    }

    private double meanBatch() {
        long b = batches.sum();
        return b == 0 ? 0 : (double) frames.sum() / b;
    }

    /** {@inheritDoc} */
    @Override
    protected Future<?> stopStage() {
        queue.close();
        return vertx.executeBlocking(
                () -> {
                    for (Thread t : workers) {
                        t.join(10_000);
                    }
                    if (slot != null) {
                        slot.close();
                    }
                    releaseCpus();
                    return null;
                },
                false);
    }
}
