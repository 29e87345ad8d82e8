/**
 * The paper's offline CLFT trainer: loss, optimiser, augmentation, evaluation and training runs.
 */
package dev.fusionnode.training;
