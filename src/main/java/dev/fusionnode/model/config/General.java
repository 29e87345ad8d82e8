package dev.fusionnode.model.config;

/**
 * The {@code General} block: training-loop settings (clft-spec §4.1, §4.4, §4.5).
 *
 * @param device torch device name, e.g. {@code cuda:0} or {@code cpu}
 * @param epochs training epochs
 * @param batchSize batch size
 * @param pathPredictedImages folder name for visualisations
 * @param seed numpy seed
 * @param resumeTraining start from {@code modelPath}
 * @param resetLr restart the learning-rate schedule (and epoch count) when resuming
 * @param earlyStopPatience epochs without validation-mIoU improvement before stopping
 * @param maxEpochs checkpoints kept (a misnamed field, clft-spec §4.4)
 * @param modelPath checkpoint to resume from, as written ({@code ""} for none)
 * @param createNewTraining start a new training record when resuming (optional, false)
 */
public record General(
        String device,
        int epochs,
        int batchSize,
        String pathPredictedImages,
        int seed,
        boolean resumeTraining,
        boolean resetLr,
        int earlyStopPatience,
        int maxEpochs,
        String modelPath,
        boolean createNewTraining) {

    static General from(JsonFields f) {
        return new General(
                f.string("device"),
                f.integer("epochs", 1, 1_000_000),
                f.integer("batch_size", 1, 1_000_000),
                f.string("path_predicted_images"),
                f.integer("seed", Integer.MIN_VALUE, Integer.MAX_VALUE),
                f.bool("resume_training"),
                f.bool("reset_lr"),
                f.integer("early_stop_patience", 0, 1_000_000),
                f.integer("max_epochs", 1, 1_000_000),
                f.optString("model_path", ""),
                f.optBool("create_new_training", false));
    }
}
