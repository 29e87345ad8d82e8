package dev.fusionnode.training;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One training run.
 *
 * @param epochs epochs to train
 * @param batchSize frames per optimiser step
 * @param lr learning rate at epoch 0
 * @param lrMomentum per-epoch learning-rate factor
 * @param seed seeds the initial weights, shuffling and augmentation
 * @param init weights to start from (transfer learning); empty = random initialisation
 * @param augmentation training augmentation
 * @param keepCheckpoints best checkpoints (by validation mIoU) kept on disk
 * @param maxTrainFrames use at most this many training frames (0 = all)
 * @param loss the loss ({@code ce}, the paper's, unless chosen) with the config's class weights
 * @param gamma focal exponent (focal losses)
 * @param diceWeight weight of the Dice term ({@code focal_dice})
 * @param mode which parameters train ({@code full} as the paper)
 * @param classWeights where the loss's class weights come from (the config's, unless chosen)
 * @param labelWeights loss weight of human-labelled and of pseudo-labelled frames
 */
public record TrainingOptions(
        int epochs,
        int batchSize,
        double lr,
        double lrMomentum,
        long seed,
        Optional<Path> init,
        Augmentation augmentation,
        int keepCheckpoints,
        int maxTrainFrames,
        SegmentationLoss.Kind loss,
        double gamma,
        double diceWeight,
        FineTuneMode mode,
        ClassWeights classWeights,
        SampleLoader.LabelWeights labelWeights) {

    /** The loss with these class weights. */
    public SegmentationLoss lossWith(float[] classWeights) {
        return new SegmentationLoss(loss, classWeights, gamma, diceWeight);
    }
}
