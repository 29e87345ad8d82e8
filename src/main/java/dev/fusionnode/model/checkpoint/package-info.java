/**
 * PyTorch checkpoint interop: {@link dev.fusionnode.model.checkpoint.PthReader} and {@link
 * dev.fusionnode.model.checkpoint.PthWriter} read and write {@code torch.save}'s zip format without
 * running code, {@link dev.fusionnode.model.checkpoint.Checkpoint} tells state dicts, trainer
 * checkpoints and ensembles apart, and {@link dev.fusionnode.model.checkpoint.TorchTensor} is the
 * plain tensor they hold.
 */
package dev.fusionnode.model.checkpoint;
