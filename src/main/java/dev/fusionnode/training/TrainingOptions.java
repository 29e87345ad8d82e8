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
        int maxTrainFrames) {}
